// Byte offsets (UTF-8, as the API gives them) to JavaScript string indices (UTF-16 code units),
// and the nesting of possibly overlapping spans into a tree for highlighting.

/**
 * A function from a UTF-8 byte offset into `text` to the UTF-16 index of the same position. An
 * offset inside a character goes to that character's start; offsets past the end go to the end.
 */
export function byteToIndex(text) {
  // Positions of each code point's first byte, in bytes and in UTF-16 units.
  const bytes = [];
  const units = [];
  let b = 0;
  let u = 0;
  for (const ch of text) {
    bytes.push(b);
    units.push(u);
    const cp = ch.codePointAt(0);
    b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    u += ch.length;
  }
  const totalBytes = b;
  const totalUnits = u;
  return (offset) => {
    const n = Number(offset);
    if (!Number.isFinite(n) || n <= 0) return 0;
    if (n >= totalBytes) return totalUnits;
    // The last code point starting at or before n.
    let lo = 0;
    let hi = bytes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bytes[mid] <= n) lo = mid;
      else hi = mid - 1;
    }
    return units[lo];
  };
}

/** UTF-8 length of a string, in bytes. */
export function utf8Length(s) {
  return new TextEncoder().encode(s).length;
}

/**
 * Nests spans `{start, end, ...}` (UTF-16 indices) into a tree: each node `{span, start, end,
 * children}`. A span that crosses the end of an enclosing one is split there, and its pieces keep
 * the same `span`. Empty and out-of-range spans are dropped.
 */
export function nest(spans, length) {
  const queue = spans
    .map((s) => ({ span: s, start: Math.max(0, s.start), end: Math.min(length, s.end) }))
    .filter((n) => n.end > n.start);
  const order = (a, b) => a.start - b.start || b.end - a.end;
  queue.sort(order);
  const root = { span: null, start: 0, end: length, children: [] };
  const stack = [root];
  while (queue.length) {
    const n = queue.shift();
    n.children = [];
    while (stack.length > 1 && stack[stack.length - 1].end <= n.start) stack.pop();
    const top = stack[stack.length - 1];
    if (n.end > top.end) {
      // Crosses the enclosing span's end: keep the part inside, queue the rest.
      const rest = { span: n.span, start: top.end, end: n.end };
      n.end = top.end;
      let i = 0;
      while (i < queue.length && order(queue[i], rest) <= 0) i++;
      queue.splice(i, 0, rest);
    }
    top.children.push(n);
    stack.push(n);
  }
  return root;
}
