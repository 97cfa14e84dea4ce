/**
 * What a replica has to send and answer before its next Ready: peer messages in the order they
 * were sent, and client replies in the order they were decided (both matter for determinism).
 */
import type { ClientReply } from "../concern/types.js";
import type { Message } from "./messages.js";

export class Outbox {
  /** Fetch responses, which may leave before the Ready's writes are synced (ready.ts). */
  private messagesBeforeSync: Message[] = [];
  private messages: Message[] = [];
  private pendingReplies: ClientReply[] = [];

  /** Where replies go; the concern modules push into it. */
  get replies(): ClientReply[] {
    return this.pendingReplies;
  }

  get isEmpty(): boolean {
    return (
      this.messages.length === 0 &&
      this.messagesBeforeSync.length === 0 &&
      this.pendingReplies.length === 0
    );
  }

  send(message: Message): void {
    if (message.body.kind === "fetch_response") this.messagesBeforeSync.push(message);
    else this.messages.push(message);
  }

  /** Everything gathered since the last take, leaving the outbox empty. */
  take(): { messagesBeforeSync: Message[]; messages: Message[]; replies: ClientReply[] } {
    const taken = {
      messagesBeforeSync: this.messagesBeforeSync,
      messages: this.messages,
      replies: this.pendingReplies,
    };
    this.messagesBeforeSync = [];
    this.messages = [];
    this.pendingReplies = [];
    return taken;
  }
}
