/** One step of an edit script: keep a[i] = b[j], delete a[i], or insert b[j]. */
export const KEEP = 0;
export const DELETE = 1;
export const INSERT = 2;

/**
 * The shortest edit script turning `a` into `b` (Myers, "An O(ND) difference algorithm", 1986), after trimming the
 * common prefix and suffix; or null when it needs more than `maxEdits` deletions and insertions. Time is
 * O((N + M)·D) and memory O(D²), so the bound is what keeps two unrelated long texts from costing seconds: the
 * caller then falls back to "all deleted, all inserted".
 */
export function editScript(a: ArrayLike<number>, b: ArrayLike<number>, maxEdits: number): Uint8Array | null {
  const n = a.length;
  const m = b.length;
  let start = 0;
  while (start < n && start < m && a[start] === b[start]) start++;
  let endA = n;
  let endB = m;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const middle = shortestMiddle(a, b, start, endA - start, endB - start, maxEdits);
  if (middle === null) return null;
  const script = new Uint8Array(start + middle.length + (n - endA)); // KEEP is 0: prefix and suffix are already set
  script.set(middle, start);
  return script;
}

function shortestMiddle(a: ArrayLike<number>, b: ArrayLike<number>, start: number, n: number, m: number, maxEdits: number): Uint8Array | null {
  if (n === 0) return new Uint8Array(m).fill(INSERT);
  if (m === 0) return new Uint8Array(n).fill(DELETE);
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  // v[offset + k]: the furthest x reached on diagonal k = x - y.
  const v = new Int32Array(2 * max + 3);
  // trace[d]: v[-d-1 .. d+1] before round d, all that backtracking through round d reads.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
      let x = down ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[start + x] === b[start + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, d, n, m);
    }
  }
  return null;
}

function backtrack(trace: Int32Array[], edits: number, n: number, m: number): Uint8Array {
  const script = new Uint8Array(n + m - (n + m - edits) / 2);
  let at = script.length;
  let x = n;
  let y = m;
  for (let d = edits; d > 0; d--) {
    const before = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && before[k + d]! < before[k + d + 2]!);
    const previousK = down ? k + 1 : k - 1;
    const previousX = before[previousK + d + 1]!;
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      script[--at] = KEEP;
      x--;
      y--;
    }
    script[--at] = down ? INSERT : DELETE;
    x = previousX;
    y = previousY;
  }
  // What remains is the snake of round 0 from (0, 0); KEEP is 0, so those slots are already right.
  return script;
}
