/**
 * Passwords (redis/src/acl.c authCommand, ACLCheckUserCredentials): one user, `default`, whose
 * password is `requirepass`; with none configured the default user is `nopass` and any password
 * is accepted by the two-argument form.
 */
import { timingSafeEqual } from "node:crypto";
import type { Reply } from "../reply.js";
import { error, ok } from "../reply.js";
import { syntaxError, text } from "./arguments.js";
import type { CommandContext, CommandSpec } from "./context.js";

export const wrongPass = (): Reply =>
  error("WRONGPASS invalid username-password pair or user is disabled.");

export const noAuth = (): Reply => error("NOAUTH Authentication required.");

/** Whether `user`/`password` are the default user's credentials. */
export function credentialsValid(context: CommandContext, user: string, password: string): boolean {
  if (user !== "default") return false;
  const required = context.state.requirePassword;
  if (required === "") return true;
  const given = Buffer.from(password, "latin1");
  const expected = Buffer.from(required, "latin1");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function auth(args: readonly Buffer[], context: CommandContext): Reply {
  if (args.length > 3) return syntaxError();
  if (args.length === 2 && context.state.requirePassword === "") {
    return error(
      "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
    );
  }
  const user = args.length === 3 ? text(args[1] as Buffer) : "default";
  const password = text(args[args.length - 1] as Buffer);
  if (!credentialsValid(context, user, password)) return wrongPass();
  context.session.authenticated = true;
  return ok;
}

export const authCommands: CommandSpec[] = [
  { name: "auth", arity: -2, noAuth: true, handler: auth },
];
