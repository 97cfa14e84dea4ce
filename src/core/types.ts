/**
 * Branded ids and positions. A brand keeps an `Offset` from being passed where an `Epoch` is
 * meant; all are plain numbers at run time (offsets stay far below 2^53).
 */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type NodeId = Brand<number, "NodeId">;
export type ShardId = Brand<number, "ShardId">;
/** Bumped on every leader change and stamped on every batch (Raft term, Kafka leader epoch). */
export type Epoch = Brand<number, "Epoch">;
/** Position of a record in a shard log. Bounds such as `leo` and `commit` are exclusive. */
export type Offset = Brand<number, "Offset">;
/** Logical clock ticks; the shell converts real or virtual time into ticks. */
export type Ticks = Brand<number, "Ticks">;

export const nodeId = (value: number): NodeId => value as NodeId;
export const shardId = (value: number): ShardId => value as ShardId;
export const epoch = (value: number): Epoch => value as Epoch;
export const offset = (value: number): Offset => value as Offset;
export const ticks = (value: number): Ticks => value as Ticks;

export const maxOffset = (a: Offset, b: Offset): Offset => (a >= b ? a : b);
export const minOffset = (a: Offset, b: Offset): Offset => (a <= b ? a : b);
