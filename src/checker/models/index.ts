/** The models `onelog check --model` accepts, by name. */
import type { AnyModel } from "./model.js";
import { multiRegisterModel } from "./multi_register.js";
import { mutexModel } from "./mutex.js";
import {
  casRegisterModel,
  kvModel,
  listAppendModel,
  onelogModel,
  registerModel,
} from "./register_family.js";

export type { AnyModel, Call, Model, Outcome, Prepared } from "./model.js";

export const models: ReadonlyMap<string, AnyModel> = new Map<string, AnyModel>([
  ["register", registerModel],
  ["cas-register", casRegisterModel],
  ["kv", kvModel],
  ["multi-register", multiRegisterModel],
  ["mutex", mutexModel],
  ["list-append", listAppendModel],
  ["onelog", onelogModel],
]);

export const modelNames: readonly string[] = [...models.keys()];
