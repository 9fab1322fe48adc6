// Unit tests of the pure modules: `node --test web/test/` (run by crates/serve/tests/browser.rs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteToIndex, nest, utf8Length } from '../src/lib/spans.js';
import { label, period } from '../src/lib/dates.js';

test('byte offsets map to string indices through multi-byte characters', () => {
  const text = 'Kılıç – “ş” ü Ç 🙂 end';
  const toIndex = byteToIndex(text);
  // Every character boundary, in bytes, maps to its index.
  let bytes = 0;
  let units = 0;
  for (const ch of text) {
    assert.equal(toIndex(bytes), units, `at byte ${bytes}`);
    bytes += utf8Length(ch);
    units += ch.length;
  }
  assert.equal(toIndex(bytes), text.length);
  // Inside a character: its start. Out of range: clamped.
  assert.equal(toIndex(2), 1); // the second byte of ı
  assert.equal(toIndex(-5), 0);
  assert.equal(toIndex(10_000), text.length);
  assert.equal(toIndex(Number.NaN), 0);
  // A span cut by bytes gives the same text as the bytes.
  const enc = new TextEncoder().encode(text);
  const start = enc.indexOf(0xe2); // the en dash
  const end = start + 3;
  assert.equal(text.slice(toIndex(start), toIndex(end)), '–');
});

test('nested and crossing spans make a tree that covers each span exactly', () => {
  const spans = [
    { id: 'sentence', start: 0, end: 20 },
    { id: 'date', start: 5, end: 10 },
    { id: 'crossing', start: 15, end: 25 },
    { id: 'empty', start: 7, end: 7 },
    { id: 'outside', start: 40, end: 50 },
  ];
  const root = nest(spans, 30);
  const pieces = {};
  const walk = (n) => {
    for (const c of n.children) {
      assert.ok(c.start >= n.start && c.end <= n.end, `${c.span.id} lies inside its parent`);
      (pieces[c.span.id] ||= []).push([c.start, c.end]);
      walk(c);
    }
  };
  walk(root);
  assert.deepEqual(pieces.sentence, [[0, 20]]);
  assert.deepEqual(pieces.date, [[5, 10]]);
  assert.deepEqual(pieces.crossing, [[15, 20], [20, 25]]);
  assert.equal(pieces.empty, undefined);
  assert.equal(pieces.outside, undefined);
});

test('dates keep their precision as periods', () => {
  const day = 86400000;
  const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
  const p = (v) => {
    const x = period(v);
    return x && [x.precision, iso(x.start), iso(x.end - day)];
  };
  assert.deepEqual(p('2022-01-14'), ['day', '2022-01-14', '2022-01-14']);
  assert.deepEqual(p('2024-02'), ['month', '2024-02-01', '2024-02-29']);
  assert.deepEqual(p('2022'), ['year', '2022-01-01', '2022-12-31']);
  assert.deepEqual(p('2013-W11'), ['week', '2013-03-11', '2013-03-17']);
  assert.deepEqual(p('2024-Q2'), ['quarter', '2024-04-01', '2024-06-30']);
  assert.deepEqual(p('2024-H2'), ['half', '2024-07-01', '2024-12-31']);
  assert.deepEqual(p('2023-WI'), ['season', '2023-12-01', '2024-02-29']);
  for (const bad of ['PAST_REF', '199', '2022-13', '', null, 42]) assert.equal(period(bad), null, String(bad));
  assert.equal(label('2022', 'year'), '2022 (year)');
  assert.equal(label('2022-01', 'month'), 'January 2022 (month)');
  assert.equal(label('2022-01-14', 'day'), '14 January 2022');
  assert.equal(label(null, 'none'), 'undated');
});
