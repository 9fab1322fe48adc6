// Search results over documents and events, with the matches highlighted in each snippet (the
// API gives them as byte ranges of the snippet).

import { get } from '../lib/api.js';
import { enc, h, highlighted, link, message } from '../lib/dom.js';
import { byteToIndex } from '../lib/spans.js';

export async function render(root, route, ctx) {
  const q = route.params.get('q') || '';
  const input = document.getElementById('search-input');
  if (input && input.value !== q) input.value = q;
  root.appendChild(h('h1', null, 'Search'));
  if (!q.trim()) {
    root.appendChild(message('note', 'Type words or "a phrase" in the search box; accents are optional.'));
    return null;
  }
  const res = await get('/api/search', { q, limit: 50 });
  if (ctx.stale()) return null;
  const items = res.items || [];
  root.appendChild(h('p', { class: 'status' }, `${items.length} result${items.length === 1 ? '' : 's'} for `, h('q', null, q)));
  if (!items.length) return null;
  root.appendChild(h('ol', { class: 'results', id: 'search-results' }, items.map((hit) => {
    const snippet = typeof hit.snippet === 'string' ? hit.snippet : '';
    const toIndex = byteToIndex(snippet);
    const ranges = (hit.highlights || []).map((r) => [toIndex(r.start), toIndex(r.end)]);
    const href = hit.kind === 'event' ? `#/event/${enc(hit.id)}` : `#/doc/${enc(hit.id)}`;
    return h('li', { class: `result result-${hit.kind === 'event' ? 'event' : 'document'}` },
      h('div', null, h('span', { class: 'badge' }, hit.kind), ' ', link(href, hit.title || hit.id)),
      h('p', { class: 'snippet' }, highlighted(snippet, ranges)));
  })));
  return null;
}
