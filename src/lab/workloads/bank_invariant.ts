/**
 * The bank's invariant, checked on a history: every successful read of the balance map shows
 * `bankAccounts` balances, none negative, summing to `bankTotal` — money is neither made nor
 * destroyed by any state a reader can see, committed or not. A read of an absent map after the
 * opening write was acknowledged breaks it too (the opening balances were lost).
 */
import type { Operation } from "../../checker/index.js";
import { bankAccounts, bankKey, bankTotal, decodeBank } from "./bank.js";

export interface BankViolation {
  operation: number;
  description: string;
}

export function checkBankInvariant(operations: readonly Operation[]): BankViolation[] {
  const violations: BankViolation[] = [];
  for (const operation of operations) {
    if (operation.key !== bankKey || operation.f !== "read" || operation.status !== "ok") continue;
    const value = operation.output;
    if (value === null || value === undefined) {
      violations.push({ operation: operation.id, description: "the balance map is absent" });
      continue;
    }
    const state = typeof value === "string" ? decodeBank(value) : undefined;
    if (state === undefined) {
      violations.push({
        operation: operation.id,
        description: `not a balance map: ${JSON.stringify(value)}`,
      });
      continue;
    }
    const total = state.balances.reduce((sum, balance) => sum + balance, 0);
    if (state.balances.length !== bankAccounts || total !== bankTotal) {
      violations.push({
        operation: operation.id,
        description: `${state.balances.length} accounts totalling ${total}, expected ${bankAccounts} totalling ${bankTotal} (state ${state.n})`,
      });
    } else if (state.balances.some((balance) => balance < 0)) {
      violations.push({
        operation: operation.id,
        description: `a negative balance in ${JSON.stringify(state.balances)} (state ${state.n})`,
      });
    }
  }
  return violations;
}
