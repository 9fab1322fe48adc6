// The stored documents, with what was extracted from each.

import { get } from '../lib/api.js';
import { enc, h, link, message } from '../lib/dom.js';
import { label } from '../lib/dates.js';

export async function render(root, route, ctx) {
  root.appendChild(h('h1', null, 'Documents'));
  const items = [];
  let offset = 0;
  while (offset !== null && offset !== undefined) {
    const page = await get('/api/documents', { limit: 1000, offset });
    items.push(...(page.items || []));
    offset = page.next_offset;
  }
  if (ctx.stale()) return null;
  if (!items.length) {
    root.appendChild(message('empty', 'No document is stored yet: `peacetrack ingest DIR`, or POST /api/ingest.'));
    return null;
  }
  root.appendChild(
    h('table', { class: 'table' },
      h('thead', null, h('tr', null, ...['document', 'title', 'date', 'events', 'conditions', 'temporal expressions'].map((t) => h('th', null, t)))),
      h('tbody', null, items.map((d) =>
        h('tr', null,
          h('td', null, link(`#/doc/${enc(d.id)}`, d.name)),
          h('td', null, d.title || ''),
          h('td', null, d.date ? label(d.date, null) : 'unknown'),
          h('td', null, String(d.claims)),
          h('td', null, String(d.conditions)),
          h('td', null, String(d.timexes)))))),
  );
  return null;
}
