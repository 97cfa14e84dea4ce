/**
 * One shard replica as a pure state machine (DESIGN.md §3–4, after etcd-io/raft). Inputs are
 * ticks, peer messages and client requests; outputs are collected in a `Ready` that the shell
 * carries out (persist, then send, then reply) before calling `advance`. Because nothing leaves
 * the node before the Ready's writes are durable, the replica may count an append as durable the
 * moment it makes it, when the fsync policy syncs every write.
 *
 * Replication is pull-based (Kafka, MongoDB): followers `fetch` with long polling, and the
 * leader learns each follower's log end and durable offset from its fetches. Elections are Raft's
 * with pre-vote and check-quorum. Records are applied to the state machine at append; the commit
 * offset bounds what majority and linearizable reads may see (MVCC), and a truncation rolls the
 * state back exactly.
 */
import { assert, unreachable } from "../../util/assert.js";
import { ParkedReads, type ReadView, readBound } from "../concern/read.js";
import type { ClientReply, ReadOutcome, ReadRequest, WriteRequest } from "../concern/types.js";
import { metByAppend, PendingWrites } from "../concern/write.js";
import type { CommitView } from "../policy/commit.js";
import { voteResult } from "../policy/vote.js";
import type { Random } from "../random.js";
import type { KvResult, StateMachine } from "../state/kv_ops.js";
import { type Epoch, epoch, type NodeId, type Offset, offset, type ShardId } from "../types.js";
import { type Admission, deadlineTick, readRefusal, writeRefusal } from "./client_admission.js";
import { compactionSnapshot, snapshotWeight } from "./compaction.js";
import type { Mutation, ReplicaConfig } from "./config.js";
import {
  inLeaderLease,
  newerEpochAction,
  randomElectionTimeout,
  staleEpochAnswer,
  voteGranted,
  voteRequest,
} from "./election.js";
import {
  divergenceTruncation,
  type FetchInFlight,
  fetchRequest,
  fetchTimedOut,
} from "./follower_fetch.js";
import {
  confirmedRound,
  type Divergence,
  divergence,
  type FetchBody,
  type FetchResponseBody,
  type FollowerProgress,
  fetchResponse,
  needsSnapshot,
  quietFollowers,
  quorumActive,
  resetProgress,
  slowestLiveLeo,
} from "./leader_fetches.js";
import { type Batch, type LogRecord, ReplicaLog } from "./log.js";
import type { Message, MessageBody } from "./messages.js";
import { Outbox } from "./outbox.js";
import { ParkedFetches } from "./parked_fetches.js";
import type { HardState, Ready } from "./ready.js";
import type { Snapshot } from "./snapshot.js";
import { SnapshotReceiver } from "./snapshot_transfer.js";
import { UnstableLog } from "./unstable_log.js";

export type Role = "follower" | "precandidate" | "candidate" | "leader";

/**
 * Ticks a follower waits at most to hear that the commit moved, when no records come to carry
 * it: one, so that commit news rides on the next records while writes keep coming.
 */
const commitNewsTicks = 1;

export interface ReplicaOptions {
  id: NodeId;
  shard: ShardId;
  /** Voting members, this replica included. */
  members: readonly NodeId[];
  config: ReplicaConfig;
  random: Random;
  /** Recovered from storage: the durable hard state, snapshot and log. */
  hardState: HardState;
  snapshot?: Snapshot;
  /** Batches continuing the snapshot (or the log from 0 without one). */
  batches: readonly Batch[];
  stateMachine: StateMachine;
}

export interface ReplicaStatus {
  id: NodeId;
  role: Role;
  epoch: Epoch;
  vote: NodeId | null;
  leader: NodeId | undefined;
  leo: Offset;
  lastEpoch: Epoch;
  commit: Offset;
  durableOffset: Offset;
}

export class Replica {
  readonly id: NodeId;
  readonly shard: ShardId;
  readonly members: readonly NodeId[];
  readonly log: ReplicaLog;
  readonly stateMachine: StateMachine;
  private readonly config: ReplicaConfig;
  private readonly random: Random;
  /** What the door asks of this replica, made once: a request is checked without an object. */
  private readonly admission: Admission;

  private hard: HardState;
  private persistedHard: HardState;
  private currentRole: Role = "follower";
  private currentLeader: NodeId | undefined;
  private commitOffset: Offset = offset(0);
  private durable: Offset;

  private readonly unstable: UnstableLog;
  /** The snapshot the log starts after, sent to followers that fall behind the log start. */
  private latestSnapshot: Snapshot | undefined;
  /** snapshotWeight(latestSnapshot): the next compaction waits for as many records. */
  private latestSnapshotWeight = 0;
  /** Follower: the chunks received so far of the leader's snapshot. */
  private readonly snapshotReceiver = new SnapshotReceiver();
  private readonly outbox = new Outbox();

  private nowTick = 0;
  private electionElapsed = 0;
  private electionTimeout = 0;
  private heartbeatElapsed = 0;
  private readonly votes = new Map<NodeId, boolean>();

  // Follower state.
  private fetchSequence = 0;
  private fetchInFlight: FetchInFlight | undefined;
  private lastRound = 0;
  private lastCaughtUpTick = Number.NEGATIVE_INFINITY;

  // Leader state.
  private readonly progress = new Map<NodeId, FollowerProgress>();
  private readonly parkedFetches = new ParkedFetches();
  private epochStartOffset: Offset = offset(0);
  private readRound = 0;
  private readonly pendingWrites: PendingWrites;
  private readonly parkedReads: ParkedReads;

  constructor(options: ReplicaOptions) {
    this.id = options.id;
    this.shard = options.shard;
    this.members = [...options.members].sort((a, b) => a - b);
    this.config = options.config;
    this.random = options.random;
    this.admission = {
      config: this.config,
      isLeader: () => this.currentRole === "leader",
      leaderHint: () => this.leaderHint(),
    };
    this.hard = options.hardState;
    this.persistedHard = options.hardState;
    this.stateMachine = options.stateMachine;
    this.log = new ReplicaLog();
    if (options.snapshot !== undefined) this.restoreSnapshot(options.snapshot);
    for (const batch of options.batches) this.appendBatch(batch);
    this.durable = this.log.leo;
    this.unstable = new UnstableLog(this.log.leo);
    this.pendingWrites = new PendingWrites(this.config.pendingWritesMax);
    this.parkedReads = new ParkedReads(this.config.parkedReadsMax);
    this.resetElectionTimer();
  }

  get role(): Role {
    return this.currentRole;
  }

  get leader(): NodeId | undefined {
    return this.currentLeader;
  }

  get epoch(): Epoch {
    return this.hard.epoch;
  }

  get commit(): Offset {
    return this.commitOffset;
  }

  get durableOffset(): Offset {
    return this.durable;
  }

  status(): ReplicaStatus {
    return {
      id: this.id,
      role: this.currentRole,
      epoch: this.hard.epoch,
      vote: this.hard.vote,
      leader: this.currentLeader,
      leo: this.log.leo,
      lastEpoch: this.log.lastEpoch,
      commit: this.commitOffset,
      durableOffset: this.durable,
    };
  }

  // ---------------------------------------------------------------- inputs

  tick(): void {
    this.assertNoReadyOutstanding();
    this.nowTick++;
    if (this.currentRole === "leader") this.tickLeader();
    else this.tickFollower();
    this.pendingWrites.expire(this.nowTick, this.outbox.replies);
    this.parkedReads.expire(this.nowTick, this.outbox.replies);
    // Housekeeping happens on ticks, never in the step that moved the commit.
    this.collectGarbage();
    this.maybeCompact();
  }

  step(message: Message): void {
    this.assertNoReadyOutstanding();
    assert(message.to === this.id, () => `message for ${message.to} stepped into ${this.id}`);
    assert(
      message.shard === this.shard,
      () => `message for shard ${message.shard} in ${this.shard}`,
    );
    if (!this.members.includes(message.from)) return;
    const { body } = message;
    // A leader re-announces itself only to followers it has not heard from in a while: our fetch
    // in flight, if any, was lost.
    const reannounced =
      body.kind === "begin_epoch" &&
      message.epoch === this.hard.epoch &&
      this.currentLeader === message.from;
    if (message.epoch > this.hard.epoch) {
      const action = newerEpochAction(message, this.id, this.inLeaderLease());
      if (action.kind === "ignore") return;
      if (action.kind === "follow") this.becomeFollower(message.epoch, action.leader);
    } else if (message.epoch < this.hard.epoch) {
      const answer = staleEpochAnswer(body, this.fenced());
      if (answer !== undefined) this.send(message.from, answer);
      return;
    }
    switch (body.kind) {
      case "vote_request":
        return this.handleVoteRequest(message.from, message.epoch, body);
      case "vote_response":
        return this.handleVoteResponse(message.from, body);
      case "fetch":
        return this.handleFetch(message.from, body);
      case "fetch_response":
        return this.handleFetchResponse(message.from, body);
      case "begin_epoch":
        if (reannounced) this.fetchInFlight = undefined;
        return this.followLeader(message.from);
      case "fenced":
        return this.handleFenced(message.from, body.leader);
      default:
        unreachable(body);
    }
  }

  propose(request: WriteRequest): void {
    this.proposeAll([request]);
  }

  /**
   * Proposes writes that arrived together as one batch: one log append, one commit update and
   * one release of parked fetches for all of them, in order. The batch carries the latest of
   * their clocks. A refused write is answered alone; the others still go.
   */
  proposeAll(requests: readonly WriteRequest[]): void {
    this.assertNoReadyOutstanding();
    const accepted: WriteRequest[] = [];
    let waiting = this.pendingWrites.size;
    for (const request of requests) {
      const refusal = writeRefusal(this.admission, this.members.length, request, waiting);
      if (refusal !== undefined) {
        this.replyWrite(request.id, refusal);
        continue;
      }
      accepted.push(request);
      if (!metByAppend(request.concern)) waiting++;
    }
    if (accepted.length === 0) return;
    const at = this.log.leo;
    let timestampMs = 0;
    let recordBytes: number | undefined = 0;
    for (const request of accepted) {
      timestampMs = Math.max(timestampMs, request.nowMs);
      // Known only if known for every record.
      recordBytes =
        recordBytes === undefined || request.bytes === undefined
          ? undefined
          : recordBytes + request.bytes;
    }
    const records = accepted.map(
      (request): LogRecord => ({ kind: "kv", command: request.command }),
    );
    this.log.append({ baseOffset: at, epoch: this.hard.epoch, timestampMs, records }, recordBytes);
    accepted.forEach((request, index) => {
      const recordAt = offset(at + index);
      const result = this.stateMachine.apply(recordAt, request.command, timestampMs);
      const end = offset(recordAt + 1);
      if (metByAppend(request.concern)) {
        this.replyWrite(request.id, { kind: "ok", offset: end, result });
      } else {
        const deadlineTick = this.deadline(request.concern.timeoutMs);
        this.pendingWrites.add(request.concern, { id: request.id, end, result, deadlineTick });
      }
    });
    this.updateCommit();
    this.releaseParkedFetches();
  }

  read(request: ReadRequest): void {
    const outcome = this.readAtOnce(request);
    if (outcome !== undefined) return this.replyRead(request.id, outcome);
    const read = { request, deadlineTick: this.deadline(request.concern.timeoutMs) };
    if (!this.parkedReads.admit(read, this.readView(), this.outbox.replies)) {
      this.replyRead(request.id, {
        kind: "rejected",
        reason: "overloaded",
        detail: "too many reads waiting",
      });
    }
  }

  /**
   * The outcome of a read that needs no waiting — refused, or answerable from the state as it is
   * (every level but linearizable, once its offset bound is reached) — else undefined: `read`
   * parks it. Changes nothing, so a shell may call it between Readys to answer without a pass.
   */
  readAtOnce(request: ReadRequest): ReadOutcome | undefined {
    this.assertNoReadyOutstanding();
    const refusal = readRefusal(
      this.admission,
      this.stalenessMs(),
      this.stateMachine.horizonOffset,
      request,
    );
    if (refusal !== undefined) return refusal;
    if (request.concern.level === "linearizable") return undefined;
    const bound = readBound(request, this.stateMachine.appliedOffset, this.commitOffset);
    if (bound === undefined) return undefined;
    const result = this.stateMachine.query(request.query, bound, request.nowMs);
    return { kind: "ok", result, offset: bound };
  }

  // ---------------------------------------------------------------- Ready / Advance

  hasReady(): boolean {
    return (
      !this.outbox.isEmpty || this.unstable.hasWrites(this.log) || this.hard !== this.persistedHard
    );
  }

  ready(): Ready {
    this.assertNoReadyOutstanding();
    const { snapshot, snapshotKind, truncateTo, entries } = this.unstable.take(this.log);
    const hardChanged = this.hard !== this.persistedHard;
    const logChanged = entries.length > 0 || truncateTo !== undefined || snapshot !== undefined;
    const { messagesBeforeSync, messages, replies } = this.outbox.take();
    const ready: Ready = {
      entries,
      messagesBeforeSync,
      messages,
      replies,
      mustSync:
        hardChanged ||
        (logChanged && this.config.syncEveryWrite && !this.mutated("ack_before_durable")),
    };
    if (hardChanged) ready.hardState = this.hard;
    if (snapshot !== undefined) {
      ready.snapshot = snapshot;
      ready.snapshotKind = snapshotKind;
    }
    if (truncateTo !== undefined) ready.truncateTo = truncateTo;
    return ready;
  }

  advance(ready: Ready): void {
    const readyLeo = this.unstable.advance();
    if (ready.hardState !== undefined) this.persistedHard = ready.hardState;
    // Only now is what this Ready wrote on disk; only now may it count, and be claimed, as durable.
    const synced = ready.mustSync || this.mutated("ack_before_durable");
    if (this.config.syncEveryWrite && synced && readyLeo > this.durable) {
      this.durable = readyLeo;
      this.updateCommit();
      this.serveReads();
    }
    this.maybeFetch();
  }

  // ---------------------------------------------------------------- epochs and elections

  private inLeaderLease(): boolean {
    const isLeader = this.currentRole === "leader";
    return inLeaderLease(this.config, isLeader, this.currentLeader, this.electionElapsed);
  }

  /** Starts an election now (pre-vote first, when enabled), as an election timeout would. */
  campaign(): void {
    if (!this.members.includes(this.id)) return;
    if (!this.config.preVote) return this.startElection();
    this.currentRole = "precandidate";
    this.currentLeader = undefined;
    this.votes.clear();
    this.votes.set(this.id, true);
    this.resetElectionTimer();
    this.requestVotes(true, epoch(this.hard.epoch + 1));
    this.countVotes();
  }

  private startElection(): void {
    this.currentRole = "candidate";
    this.currentLeader = undefined;
    this.hard = { epoch: epoch(this.hard.epoch + 1), vote: this.id };
    this.votes.clear();
    this.votes.set(this.id, true);
    this.resetElectionTimer();
    this.requestVotes(false, this.hard.epoch);
    this.countVotes();
  }

  private requestVotes(preVote: boolean, atEpoch: Epoch): void {
    for (const member of this.members) {
      if (member !== this.id) this.sendAt(atEpoch, member, voteRequest(preVote, this.log));
    }
  }

  private handleVoteRequest(
    candidate: NodeId,
    requestEpoch: Epoch,
    body: Extract<MessageBody, { kind: "vote_request" }>,
  ): void {
    const granted = voteGranted(
      {
        epoch: this.hard.epoch,
        vote: this.hard.vote,
        isLeader: this.currentRole === "leader",
        log: this.log,
        inLeaderLease: this.inLeaderLease(),
        votesTwice: this.mutated("double_vote"),
      },
      candidate,
      requestEpoch,
      body,
    );
    if (body.preVote) {
      // A granted pre-vote answers at the epoch asked about; a refusal at ours, so a stale
      // candidate learns it is behind.
      this.sendAt(granted ? requestEpoch : this.hard.epoch, candidate, {
        kind: "vote_response",
        preVote: true,
        granted,
      });
      return;
    }
    if (granted) {
      this.hard = { epoch: this.hard.epoch, vote: candidate };
      this.resetElectionTimer();
    }
    this.send(candidate, { kind: "vote_response", preVote: false, granted });
  }

  private handleVoteResponse(
    voter: NodeId,
    body: Extract<MessageBody, { kind: "vote_response" }>,
  ): void {
    const expected = body.preVote ? "precandidate" : "candidate";
    if (this.currentRole !== expected) return;
    this.votes.set(voter, body.granted);
    this.countVotes();
  }

  private countVotes(): void {
    const result = voteResult(this.members, this.votes);
    if (result === "lost") {
      this.becomeFollower(this.hard.epoch, undefined);
    } else if (result === "won") {
      if (this.currentRole === "precandidate") this.startElection();
      else this.becomeLeader();
    }
  }

  private becomeFollower(newEpoch: Epoch, leader: NodeId | undefined): void {
    if (this.currentRole === "leader") this.stepDown();
    if (newEpoch > this.hard.epoch) this.hard = { epoch: newEpoch, vote: null };
    this.currentRole = "follower";
    this.currentLeader = leader;
    this.votes.clear();
    this.fetchInFlight = undefined;
    this.lastRound = 0;
    this.resetElectionTimer();
    this.maybeFetch();
  }

  private stepDown(): void {
    this.pendingWrites.abandon(this.outbox.replies);
    this.parkedReads.rejectLeaderOnly(this.outbox.replies, this.leaderHint());
    this.parkedFetches.clear();
    this.progress.clear();
  }

  private becomeLeader(): void {
    this.currentRole = "leader";
    this.currentLeader = this.id;
    this.votes.clear();
    this.heartbeatElapsed = 0;
    this.electionElapsed = 0;
    this.readRound = 0;
    this.parkedFetches.clear();
    resetProgress(this.progress, this.members, this.nowTick);
    this.epochStartOffset = this.log.leo;
    // Raft §5.4.2 / MongoDB's "new primary" no-op: a record of our own epoch that, once
    // committed, commits everything before it and lets ReadIndex start.
    this.appendBatch({
      baseOffset: this.log.leo,
      epoch: this.hard.epoch,
      timestampMs: 0,
      records: [{ kind: "noop" }],
    });
    for (const member of this.members) {
      if (member !== this.id) this.send(member, { kind: "begin_epoch" });
    }
    this.updateCommit();
  }

  private tickLeader(): void {
    this.heartbeatElapsed++;
    if (this.heartbeatElapsed >= this.config.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      // Re-announce to followers that have gone quiet: the begin_epoch may have been lost, or
      // the follower restarted and forgot who leads.
      const quietTicks = this.config.fetchWaitTicksMax + this.config.heartbeatTicks;
      for (const member of quietFollowers(this.progress, this.id, this.nowTick, quietTicks)) {
        this.send(member, { kind: "begin_epoch" });
      }
    }
    for (const { follower, body } of this.parkedFetches.takeExpired(this.nowTick)) {
      this.respondToFetch(follower, body);
    }
    this.electionElapsed++;
    if (this.electionElapsed >= this.config.electionTimeoutTicks) {
      this.electionElapsed = 0;
      if (this.config.checkQuorum && !this.quorumActive()) {
        this.becomeFollower(this.hard.epoch, undefined);
      }
    }
  }

  private tickFollower(): void {
    this.electionElapsed++;
    if (fetchTimedOut(this.fetchInFlight, this.nowTick, this.config)) {
      this.fetchInFlight = undefined;
      this.maybeFetch();
    }
    if (this.electionElapsed >= this.electionTimeout) this.campaign();
  }

  private quorumActive(): boolean {
    const { electionTimeoutTicks } = this.config;
    const memberCount = this.members.length;
    return quorumActive(this.progress, this.id, memberCount, this.nowTick, electionTimeoutTicks);
  }

  private resetElectionTimer(): void {
    this.electionElapsed = 0;
    this.electionTimeout = randomElectionTimeout(this.config, this.random);
  }

  // ---------------------------------------------------------------- replication: leader side

  private handleFetch(follower: NodeId, body: FetchBody): void {
    if (this.currentRole !== "leader") {
      this.send(follower, this.fenced());
      return;
    }
    const progress = this.progress.get(follower);
    assert(progress !== undefined, () => `fetch from ${follower}, not a member`);
    progress.lastFetchTick = this.nowTick;
    if (body.ackedRound > progress.ackedRound) progress.ackedRound = body.ackedRound;
    if (needsSnapshot(this.log, body)) {
      this.respondToFetch(follower, body);
      this.serveReads();
      return;
    }
    if (!this.mutated("skip_divergence_check")) {
      const diverging = divergence(this.log, body);
      if (diverging !== undefined) {
        this.send(follower, this.fetchResponse(body, diverging));
        this.serveReads();
        return;
      }
    }
    progress.leo = offset(Math.min(body.fetchOffset, this.log.leo));
    progress.durableOffset = offset(Math.min(body.durableOffset, progress.leo));
    this.updateCommit();
    this.serveReads();
    // Answer at once with records, or a read round the follower has not acknowledged (its
    // earlier answer may have been lost). A newer commit alone waits for the next tick, where
    // the next records usually take it along (decision 0015).
    if (this.log.leo > body.fetchOffset || body.ackedRound < this.readRound) {
      this.respondToFetch(follower, body);
    } else {
      const waitTicksMax = this.commitOffset > body.commit ? commitNewsTicks : Infinity;
      const waitTicks = Math.min(body.waitTicksMax, this.config.fetchWaitTicksMax, waitTicksMax);
      this.parkedFetches.park(follower, body, this.nowTick + waitTicks);
    }
  }

  private respondToFetch(follower: NodeId, body: FetchBody): void {
    this.send(follower, this.fetchResponse(body, undefined));
  }

  private fetchResponse(body: FetchBody, diverging: Divergence): FetchResponseBody {
    return fetchResponse(
      {
        config: this.config,
        log: this.log,
        commit: this.commitOffset,
        readRound: this.readRound,
        latestSnapshot: this.latestSnapshot,
      },
      body,
      diverging,
    );
  }

  /** Answers every parked fetch now: records arrived or a read round began. */
  private releaseParkedFetches(): void {
    for (const { follower, body } of this.parkedFetches.takeAll()) {
      this.respondToFetch(follower, body);
    }
  }

  private updateCommit(): void {
    if (this.currentRole !== "leader") return;
    const self = this.progress.get(this.id) as FollowerProgress;
    self.leo = this.log.leo;
    self.durableOffset = this.durable;
    const view = this.commitView();
    const next = this.config.commitPolicy(view);
    assert(
      next >= this.commitOffset,
      () => `commit moved back from ${this.commitOffset} to ${next}`,
    );
    assert(next <= this.log.leo, () => `commit ${next} > leo ${this.log.leo}`);
    if (next > this.commitOffset) {
      this.commitOffset = next;
      view.commit = next;
      this.parkedFetches.answerBy(this.nowTick + commitNewsTicks);
    }
    this.pendingWrites.complete(view, this.outbox.replies);
  }

  private commitView(): CommitView {
    return {
      members: this.members,
      progress: this.progress,
      requireDurable: this.config.syncEveryWrite,
      epochStartOffset: this.mutated("commit_old_epoch") ? offset(-1) : this.epochStartOffset,
      commit: this.commitOffset,
    };
  }

  // ---------------------------------------------------------------- replication: follower side

  private followLeader(leader: NodeId): void {
    if (this.currentRole === "leader") return;
    if (this.currentRole !== "follower" || this.currentLeader !== leader) {
      this.becomeFollower(this.hard.epoch, leader);
    }
    this.electionElapsed = 0;
    this.maybeFetch();
  }

  private handleFenced(from: NodeId, leader: NodeId | undefined): void {
    if (this.currentRole === "leader" || this.currentLeader !== from || leader === from) return;
    this.currentLeader = leader === this.id ? undefined : leader;
    this.fetchInFlight = undefined;
    this.maybeFetch();
  }

  private handleFetchResponse(leader: NodeId, body: FetchResponseBody): void {
    if (this.currentRole === "leader") return;
    this.followLeader(leader);
    if (this.fetchInFlight === undefined || body.fetchId !== this.fetchInFlight.id) return;
    this.fetchInFlight = undefined;
    if (body.round > this.lastRound) this.lastRound = body.round;
    if (body.snapshotChunk !== undefined) {
      const snapshot = this.snapshotReceiver.accept(leader, this.hard.epoch, body.snapshotChunk);
      if (snapshot !== undefined) this.installSnapshot(snapshot);
      this.maybeFetch();
      return;
    }
    this.snapshotReceiver.abandon();
    if (body.diverging !== undefined) {
      this.truncate(divergenceTruncation(this.log, body.diverging));
    } else if (body.fetchOffset === this.log.leo) {
      for (const batch of body.batches) this.appendBatch(batch);
      const known = offset(Math.min(body.commit, this.log.leo));
      if (known > this.commitOffset) this.commitOffset = known;
      if (this.log.leo >= body.leaderLeo) this.lastCaughtUpTick = this.nowTick;
      this.serveReads();
    }
    this.maybeFetch();
  }

  /** A leader's snapshot replaces our whole log and state; we continue from its offset. */
  private installSnapshot(snapshot: Snapshot): void {
    assert(
      snapshot.offset >= this.commitOffset,
      () =>
        `replica ${this.id} installing a snapshot at ${snapshot.offset} below its commit ${this.commitOffset}`,
    );
    this.restoreSnapshot(snapshot);
    this.unstable.snapshotInstalled(snapshot);
  }

  private restoreSnapshot(snapshot: Snapshot): void {
    this.log.reset(snapshot.offset, snapshot.epoch);
    this.stateMachine.restore(snapshot.state);
    if (snapshot.offset > this.commitOffset) this.commitOffset = snapshot.offset;
    this.durable = snapshot.offset;
    this.latestSnapshot = snapshot;
    this.latestSnapshotWeight = snapshotWeight(snapshot.state);
  }

  /** The lowest log end among followers that fetched within an election timeout. */
  private slowestLiveFollowerLeo(): Offset | undefined {
    return slowestLiveLeo(this.progress, this.id, this.nowTick, this.config.electionTimeoutTicks);
  }

  private maybeCompact(): void {
    const snapshot = compactionSnapshot(
      this.config,
      this.log,
      this.stateMachine,
      this.commitOffset,
      this.currentRole === "leader" ? this.slowestLiveFollowerLeo() : undefined,
      this.latestSnapshotWeight,
    );
    if (snapshot === undefined) return;
    this.log.compact(snapshot.offset);
    this.latestSnapshot = snapshot;
    this.latestSnapshotWeight = snapshotWeight(snapshot.state);
    this.unstable.snapshotTaken(snapshot);
  }

  private maybeFetch(): void {
    if (
      this.currentRole !== "follower" ||
      this.currentLeader === undefined ||
      this.fetchInFlight !== undefined
    )
      return;
    // The fetch reports our durable offset: it waits until what we appended is written (advance
    // calls us again), so the leader may count it at once.
    if (this.unstable.hasWrites(this.log)) return;
    this.fetchSequence++;
    this.fetchInFlight = { id: this.fetchSequence, sentTick: this.nowTick };
    const fetch = fetchRequest(this.fetchSequence, {
      config: this.config,
      log: this.log,
      durableOffset: this.durable,
      ackedRound: this.lastRound,
      commit: this.commitOffset,
      snapshot: this.snapshotReceiver.position(this.currentLeader, this.hard.epoch),
    });
    this.send(this.currentLeader, fetch);
  }

  // ---------------------------------------------------------------- log and state machine

  /** Appends a batch and applies its records; returns the last record's result. */
  private appendBatch(batch: Batch): KvResult | undefined {
    this.log.append(batch);
    let result: KvResult | undefined;
    batch.records.forEach((record: LogRecord, index) => {
      const at = offset(batch.baseOffset + index);
      if (record.kind === "kv")
        result = this.stateMachine.apply(at, record.command, batch.timestampMs);
      else this.stateMachine.skip(at);
    });
    return result;
  }

  private truncate(to: Offset): void {
    assert(
      to >= this.commitOffset,
      () => `replica ${this.id} truncating to ${to} below commit ${this.commitOffset}`,
    );
    if (to >= this.log.leo) return;
    this.log.truncate(to);
    this.stateMachine.truncate(to);
    if (this.durable > to) this.durable = to;
    this.unstable.truncated(to);
  }

  private collectGarbage(): void {
    const horizon = this.parkedReads.horizonBound(
      offset(Math.max(0, this.commitOffset - this.config.snapshotHistoryRecords)),
    );
    if (horizon > this.stateMachine.horizonOffset) this.stateMachine.collectGarbage(horizon);
  }

  // ---------------------------------------------------------------- reads

  private serveReads(): void {
    if (this.parkedReads.size === 0) return;
    this.parkedReads.serve(this.readView(), this.outbox.replies);
  }

  private readView(): ReadView {
    return {
      isLeader: this.currentRole === "leader",
      applied: this.stateMachine.appliedOffset,
      commit: this.commitOffset,
      horizon: this.stateMachine.horizonOffset,
      ownEpochCommitted: this.commitOffset > this.epochStartOffset,
      confirmedRound: () =>
        this.mutated("read_without_quorum") ? Number.POSITIVE_INFINITY : this.confirmedRound(),
      startRound: () => this.startReadRound(),
      query: (query, at, nowMs) => this.stateMachine.query(query, at, nowMs),
    };
  }

  /** ReadIndex (Raft thesis §6.4): a new round, announced at once by answering parked fetches. */
  private startReadRound(): number {
    this.readRound++;
    this.releaseParkedFetches();
    return this.readRound;
  }

  /** The newest read round a majority (this leader included) has acknowledged in this epoch. */
  private confirmedRound(): number {
    if (this.currentRole !== "leader") return 0;
    return confirmedRound(this.members, this.id, this.readRound, this.progress);
  }

  private stalenessMs(): number {
    if (this.currentRole === "leader") return 0;
    return (this.nowTick - this.lastCaughtUpTick) * this.config.tickMs;
  }

  // ---------------------------------------------------------------- helpers

  private fenced(): MessageBody {
    return this.currentLeader === undefined
      ? { kind: "fenced" }
      : { kind: "fenced", leader: this.currentLeader };
  }

  private leaderHint(): { leader?: NodeId } {
    return this.currentLeader === undefined || this.currentLeader === this.id
      ? {}
      : { leader: this.currentLeader };
  }

  private deadline(timeoutMs: number | undefined): number {
    return deadlineTick(this.nowTick, timeoutMs, this.config.tickMs);
  }

  private send(to: NodeId, body: MessageBody): void {
    this.sendAt(this.hard.epoch, to, body);
  }

  private sendAt(atEpoch: Epoch, to: NodeId, body: MessageBody): void {
    this.outbox.send({ shard: this.shard, from: this.id, to, epoch: atEpoch, body });
  }

  private replyWrite(
    id: number,
    outcome: Extract<ClientReply, { kind: "write" }>["outcome"],
  ): void {
    this.outbox.replies.push({ kind: "write", id, outcome });
  }

  private replyRead(id: number, outcome: Extract<ClientReply, { kind: "read" }>["outcome"]): void {
    this.outbox.replies.push({ kind: "read", id, outcome });
  }

  private mutated(mutation: Mutation): boolean {
    return this.config.mutations?.has(mutation) ?? false;
  }

  private assertNoReadyOutstanding(): void {
    assert(!this.unstable.readyOutstanding, "input between ready() and advance()");
  }
}
