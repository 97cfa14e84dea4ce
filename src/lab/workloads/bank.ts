/**
 * The bank: five accounts kept as one balance map under one key, `bank`, as JSON
 * `{"n": <unique tag>, "balances": [..]}`. A transfer reads the map and compare-and-sets it to
 * the map with an amount moved between two accounts, so every state ever written holds the
 * same total. The invariant (bank_invariant.ts): every successful read shows that total, with
 * no negative balance. The tag keeps written values unique, as the anomaly finders need.
 *
 * `bank-script` runs half the compare-and-sets, at random, as a Lua script (EVAL: GET, compare,
 * SET) and half as OL.CAS, so the same checks test that a script is atomic (decision 0020)
 * against other scripts and against plain writes alike.
 */
import type { Random } from "../../core/random.js";
import {
  type LabOperation,
  type Observation,
  UniqueValues,
  type Workload,
  type WorkloadName,
} from "./types.js";

export const bankKey = "bank";
export const bankAccounts = 5;
export const bankOpeningBalance = 100;
export const bankTotal = bankAccounts * bankOpeningBalance;

export interface BankState {
  n: string;
  balances: number[];
}

export const encodeBank = (state: BankState): string => JSON.stringify(state);

export class BankWorkload implements Workload {
  readonly name: WorkloadName;
  readonly keys = [bankKey];
  readonly setup: LabOperation[] = [
    {
      f: "write",
      key: bankKey,
      value: encodeBank({ n: "open", balances: Array(bankAccounts).fill(bankOpeningBalance) }),
    },
  ];
  private readonly values = new UniqueValues();
  /** The map each worker read last, consumed by its next transfer. */
  private readonly lastRead = new Map<number, string>();

  constructor(private readonly viaScript = false) {
    this.name = viaScript ? "bank-script" : "bank";
  }

  next(worker: number, random: Random): LabOperation {
    const seen = this.lastRead.get(worker);
    this.lastRead.delete(worker);
    const state = seen === undefined ? undefined : decodeBank(seen);
    if (seen === undefined || state === undefined) return { f: "read", key: bankKey, value: null };
    const from = random.int(0, bankAccounts - 1);
    const to = (from + random.int(1, bankAccounts - 1)) % bankAccounts;
    const amount = Math.min(state.balances[from] ?? 0, random.int(1, 20));
    const balances = [...state.balances];
    balances[from] = (balances[from] ?? 0) - amount;
    balances[to] = (balances[to] ?? 0) + amount;
    const next = encodeBank({ n: this.values.next(worker), balances });
    const cas: LabOperation = { f: "cas", key: bankKey, value: [seen, next] };
    return this.viaScript && random.next() < 0.5 ? { ...cas, script: true } : cas;
  }

  observe(worker: number, { operation, readValue, ok }: Observation): void {
    if (ok && operation.f === "read" && typeof readValue === "string") {
      this.lastRead.set(worker, readValue);
    }
  }
}

export function decodeBank(text: string): BankState | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const { n, balances } = parsed as Partial<BankState>;
    if (typeof n !== "string" || !Array.isArray(balances)) return undefined;
    if (!balances.every((balance) => Number.isSafeInteger(balance))) return undefined;
    return { n, balances };
  } catch {
    return undefined;
  }
}
