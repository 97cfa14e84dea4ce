export {
  Driver,
  type DriverOptions,
  type DriverShard,
  type DriverStorage,
  type DriverWriteListener,
  type DriverWriteOutcome,
} from "./driver.js";
export { type FollowerPosition, FollowerProgress } from "./follower_progress.js";
export { TickClock } from "./tick_clock.js";
