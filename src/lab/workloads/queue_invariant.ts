/**
 * The queue's invariant, checked on a history (Jepsen's total-queue): every element dequeued or
 * drained was enqueued by an operation that did not fail, none is delivered twice, and every acknowledged enqueue is
 * dequeued or drained. A dequeue whose outcome is unknown (`info`) may have popped an element its
 * client never saw, so each may account for one element missing; beyond that, a missing element
 * is lost. When the enqueues' write concern allows losing acknowledged writes (w:1), missing
 * elements are reported by the count only, not as violations.
 */
import type { Operation } from "../../checker/index.js";

export interface QueueViolation {
  /** The operation that shows it (the second delivery; the lost enqueue). */
  operation: number;
  description: string;
}

export interface QueueAudit {
  violations: QueueViolation[];
  /** Acknowledged enqueues never delivered, and the unknown dequeues that may have taken them. */
  missing: number;
  unknownDequeues: number;
}

export function checkQueueInvariant(
  operations: readonly Operation[],
  lossAllowed: boolean,
): QueueAudit {
  const violations: QueueViolation[] = [];
  const attempted = new Set<string>();
  const delivered = new Map<string, number>();
  let unknownDequeues = 0;
  const deliver = (element: unknown, operation: Operation) => {
    const value = String(element);
    if (!attempted.has(value)) {
      violations.push({ operation: operation.id, description: `${value} was never enqueued` });
    }
    const first = delivered.get(value);
    if (first === undefined) delivered.set(value, operation.id);
    else {
      violations.push({
        operation: operation.id,
        description: `${value} delivered twice: #${first} and #${operation.id}`,
      });
    }
  };
  for (const operation of operations) {
    if (operation.f === "enqueue" && operation.status !== "fail") {
      attempted.add(String(operation.input));
    }
  }
  for (const operation of operations) {
    if (operation.f === "dequeue") {
      if (operation.status === "info") unknownDequeues++;
      else if (operation.status === "ok" && operation.output !== null) {
        deliver(operation.output, operation);
      }
    } else if (operation.f === "drain" && operation.status === "ok") {
      for (const element of (operation.output as unknown[] | null) ?? []) {
        deliver(element, operation);
      }
    }
  }
  const lost = operations.filter(
    (operation) =>
      operation.f === "enqueue" &&
      operation.status === "ok" &&
      !delivered.has(String(operation.input)),
  );
  if (!lossAllowed && lost.length > unknownDequeues) {
    for (const operation of lost) {
      violations.push({
        operation: operation.id,
        description: `acknowledged enqueue of ${String(operation.input)} never delivered (${lost.length} missing, ${unknownDequeues} dequeues of unknown outcome)`,
      });
    }
  }
  return { violations, missing: lost.length, unknownDequeues };
}
