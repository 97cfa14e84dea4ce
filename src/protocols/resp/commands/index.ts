/** The RESP face's commands over the Store (docs/commands.md). */

export { BlockedClients } from "./blocked_clients.js";
export type { CommandContext, CommandSpec, ServerFacts, Session } from "./context.js";
export { newSession } from "./context.js";
export { DeferredReply, type ReplyTarget } from "./deferred_reply.js";
export {
  commandFullName,
  commandNames,
  dispatch,
  dispatchUnguarded,
  findCommand,
  internalError,
} from "./dispatcher.js";
export { PubSubHub } from "./pubsub_hub.js";
export { type ClientRecord, ServerState, type SettingsInput } from "./server_state.js";
