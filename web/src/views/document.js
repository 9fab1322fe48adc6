// A document's text with every extracted item highlighted (events, conditions, temporal
// expressions …). Spans are UTF-8 byte offsets into the text; they are mapped to string indices
// before slicing. `?ev=ID` (and `start`, the evidence's first byte) focuses that event's evidence.

import { get } from '../lib/api.js';
import { clear, enc, facts, h, link, message } from '../lib/dom.js';
import { byteToIndex, nest } from '../lib/spans.js';
import { label } from '../lib/dates.js';

const KIND_NAMES = { event: 'events', condition: 'conditions', timex: 'temporal expressions', mention: 'mentions' };

function renderNode(node, text, out) {
  let at = node.start;
  for (const c of node.children) {
    if (c.start > at) out.appendChild(document.createTextNode(text.slice(at, c.start)));
    const s = c.span;
    const kind = /^[a-z_]+$/.test(s.kind) ? s.kind : 'other';
    const mark = h('mark', {
      class: `hl hl-${kind}`,
      title: `${s.kind}: ${s.label}`,
      dataset: { kind: s.kind, id: s.id, start: s.byteStart, end: s.byteEnd },
    });
    renderNode(c, text, mark);
    out.appendChild(mark);
    at = c.end;
  }
  if (node.end > at) out.appendChild(document.createTextNode(text.slice(at, node.end)));
}

export async function render(root, route, ctx) {
  const d = await get(`/api/documents/${enc(route.id)}`);
  if (ctx.stale()) return null;
  const text = typeof d.text === 'string' ? d.text : '';
  const toIndex = byteToIndex(text);
  const spans = (d.items || []).map((i) => ({
    ...i,
    byteStart: i.start,
    byteEnd: i.end,
    start: toIndex(i.start),
    end: toIndex(i.end),
  }));
  const counts = {};
  for (const s of spans) counts[s.kind] = (counts[s.kind] || 0) + 1;

  root.appendChild(h('h1', null, d.title || d.name));
  root.appendChild(
    facts([
      ['File', d.name],
      ['Date', d.date ? `${label(d.date, null)} (${d.date_source})` : `unknown (${d.date_source})`],
      ['Ingested', d.ingested_at],
      ['Size', `${d.bytes} bytes`],
    ]),
  );
  const textBox = h('div', { class: 'doc-text', id: 'doc-text', lang: 'und' });
  const panel = h('aside', { class: 'doc-panel', id: 'doc-panel' }, message('note', 'Click a highlight to see what was extracted there.'));
  const toggles = h('div', { class: 'legend-kinds' }, Object.keys(counts).sort().map((k) => {
    const box = h('input', { type: 'checkbox', checked: true, dataset: { kind: k } });
    box.addEventListener('change', () => textBox.classList.toggle(`hide-${k}`, !box.checked));
    return h('label', { class: `legend-kind hl-${/^[a-z_]+$/.test(k) ? k : 'other'}` }, box, ` ${KIND_NAMES[k] || k} (${counts[k]})`);
  }));
  root.appendChild(toggles);
  root.appendChild(h('div', { class: 'doc-layout' }, textBox, panel));

  const frag = document.createDocumentFragment();
  renderNode(nest(spans, text.length), text, frag);
  textBox.appendChild(frag);

  function focus(kind, id, start) {
    for (const m of textBox.querySelectorAll('mark.focus')) m.classList.remove('focus');
    const all = [...textBox.querySelectorAll('mark')].filter((m) => m.dataset.kind === kind && m.dataset.id === id);
    let chosen = start !== null && start !== undefined && start !== ''
      ? all.filter((m) => m.dataset.start === String(start))
      : [];
    if (!chosen.length && all.length) chosen = all.filter((m) => m.dataset.start === all[0].dataset.start);
    for (const m of textBox.querySelectorAll('#evidence')) m.removeAttribute('id');
    chosen.forEach((m, i) => {
      m.classList.add('focus');
      if (i === 0) m.id = 'evidence';
    });
    if (chosen.length) chosen[0].scrollIntoView({ block: 'center' });
    return chosen;
  }

  function explain(mark) {
    clear(panel);
    const { kind, id } = mark.dataset;
    const item = spans.find((s) => s.kind === kind && s.id === id && String(s.byteStart) === mark.dataset.start);
    panel.appendChild(h('h2', null, kind));
    panel.appendChild(h('p', null, item ? item.label : ''));
    if (kind === 'event') panel.appendChild(h('p', null, link(`#/event/${enc(id)}`, 'Open the event')));
    else if (kind !== 'timex') panel.appendChild(h('p', { class: 'muted' }, id));
    panel.appendChild(h('blockquote', { class: 'quote' }, item ? text.slice(item.start, item.end) : mark.textContent));
  }

  textBox.addEventListener('click', (ev) => {
    const mark = ev.target instanceof Element ? ev.target.closest('mark.hl') : null;
    if (!mark) return;
    // The innermost event around the click, else the innermost item.
    const evMark = mark.dataset.kind === 'event' ? mark : mark.closest('mark[data-kind="event"]') || mark;
    focus(evMark.dataset.kind, evMark.dataset.id, evMark.dataset.start);
    explain(evMark);
  });

  const ev = route.params.get('ev');
  if (ev) {
    const chosen = focus('event', ev, route.params.get('start'));
    if (chosen.length) explain(chosen[0]);
    else panel.appendChild(message('error', `The event ${ev} has no evidence in this document.`));
  }
  return null;
}
