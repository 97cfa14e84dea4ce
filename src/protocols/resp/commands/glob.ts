/**
 * Redis's glob matching (redis/src/util.c stringmatchlen): `*`, `?`, `[abc]`, `[^a]`, `[a-z]` and
 * `\x` escapes, over bytes (latin1 strings). Used by CONFIG GET, KEYS and SCAN MATCH.
 */
export function globMatch(pattern: string, subject: string, noCase = false): boolean {
  const p = noCase ? pattern.toLowerCase() : pattern;
  const s = noCase ? subject.toLowerCase() : subject;
  return matchFrom(p, 0, s, 0, 0);
}

/** Redis bounds the recursion on `*` (nesting 1000) against pathological patterns. */
const nestingMax = 1000;

function matchFrom(p: string, pi: number, s: string, si: number, nesting: number): boolean {
  if (nesting > nestingMax) return false;
  while (pi < p.length) {
    const c = p[pi] as string;
    if (c === "*") {
      while (p[pi + 1] === "*") pi++;
      if (pi + 1 === p.length) return true;
      for (let from = si; from <= s.length; from++) {
        if (matchFrom(p, pi + 1, s, from, nesting + 1)) return true;
      }
      return false;
    }
    if (si >= s.length) return false;
    if (c === "?") {
      pi++;
      si++;
      continue;
    }
    if (c === "[") {
      const taken = matchClass(p, pi + 1, s[si] as string);
      if (!taken.matched) return false;
      pi = taken.next;
      si++;
      continue;
    }
    const literal = c === "\\" && pi + 1 < p.length ? (p[++pi] as string) : c;
    if (literal !== s[si]) return false;
    pi++;
    si++;
  }
  return si === s.length;
}

function matchClass(p: string, start: number, ch: string): { matched: boolean; next: number } {
  let pi = start;
  const negate = p[pi] === "^";
  if (negate) pi++;
  let matched = false;
  while (pi < p.length && p[pi] !== "]") {
    if (p[pi] === "\\" && pi + 1 < p.length) {
      if (p[pi + 1] === ch) matched = true;
      pi += 2;
    } else if (p[pi + 1] === "-" && pi + 2 < p.length && p[pi + 2] !== "]") {
      let low = p[pi] as string;
      let high = p[pi + 2] as string;
      if (low > high) [low, high] = [high, low];
      if (ch >= low && ch <= high) matched = true;
      pi += 3;
    } else {
      if (p[pi] === ch) matched = true;
      pi++;
    }
  }
  // An unterminated class ends the pattern (Redis treats the end as the closing bracket).
  return { matched: negate ? !matched : matched, next: pi < p.length ? pi + 1 : pi };
}
