/**
 * Redis glob matching for KEYS and SCAN MATCH: a port of `stringmatchlen` (redis/src/util.c),
 * case-sensitive, over strings of bytes one per char. `*` matches any run, `?` one char,
 * `[abc]` a set, `[^a]` its complement, `[a-z]` a range (reversed ends are swapped), and `\`
 * escapes the next char, inside a set as well. As in Redis, a `[` without `]` takes the rest of
 * the pattern as its set, and a trailing `\` matches itself.
 */

/** Redis gives up (no match) past this recursion depth, against abusive patterns. */
const nestingMax = 1000;

/**
 * KEYS and the SCAN family take the pattern "*" as everything without matching (keysCommand and
 * scanGenericCommand in redis/src/db.c), which differs from stringmatchlen for the empty string:
 * the empty key, hash field or set member is listed too.
 */
export const scanMatches = (pattern: string, text: string): boolean =>
  pattern === "*" || globMatch(pattern, text);

export function globMatch(pattern: string, text: string): boolean {
  return matchFrom(pattern, 0, text, 0, { skipLongerMatches: false }, 0);
}

function matchFrom(
  pattern: string,
  patternStart: number,
  text: string,
  textStart: number,
  search: { skipLongerMatches: boolean },
  nesting: number,
): boolean {
  if (nesting > nestingMax) return false;
  let p = patternStart;
  let t = textStart;
  while (p < pattern.length && t < text.length) {
    switch (pattern[p]) {
      case "*": {
        while (pattern[p + 1] === "*") p += 1;
        if (p === pattern.length - 1) return true;
        for (; t < text.length; t++) {
          if (matchFrom(pattern, p + 1, text, t, search, nesting + 1)) return true;
          if (search.skipLongerMatches) return false;
        }
        // The rest of the pattern matches nowhere in the rest of the text, so no earlier `*`
        // can help by matching more (the early exit Redis added against exponential patterns).
        search.skipLongerMatches = true;
        return false;
      }
      case "?":
        t += 1;
        break;
      case "[": {
        const end = matchSet(pattern, p + 1, text[t]!);
        if (!end.matched) return false;
        p = end.last;
        t += 1;
        break;
      }
      case "\\":
        if (p + 1 < pattern.length) p += 1;
        if (pattern[p] !== text[t]) return false;
        t += 1;
        break;
      default:
        if (pattern[p] !== text[t]) return false;
        t += 1;
    }
    p += 1;
    if (t === text.length) {
      while (pattern[p] === "*") p += 1;
      break;
    }
  }
  return p === pattern.length && t === text.length;
}

/**
 * Matches `char` against the set opening at `start` (just after `[`); `last` is the index of
 * the set's closing `]`, or of the pattern's last char when the set is not closed.
 */
function matchSet(
  pattern: string,
  start: number,
  char: string,
): { matched: boolean; last: number } {
  let p = start;
  const negated = pattern[p] === "^";
  if (negated) p += 1;
  let matched = false;
  for (;;) {
    if (pattern[p] === "\\" && pattern.length - p >= 2) {
      p += 1;
      if (pattern[p] === char) matched = true;
    } else if (pattern[p] === "]") {
      break;
    } else if (p >= pattern.length) {
      p -= 1;
      break;
    } else if (pattern.length - p >= 3 && pattern[p + 1] === "-") {
      let low = pattern.charCodeAt(p);
      let high = pattern.charCodeAt(p + 2);
      if (low > high) [low, high] = [high, low];
      const code = char.charCodeAt(0);
      if (code >= low && code <= high) matched = true;
      p += 2;
    } else if (pattern[p] === char) {
      matched = true;
    }
    p += 1;
  }
  return { matched: negated ? !matched : matched, last: p };
}
