// One event: what, when (with its precision), who, where, its status and review state, every
// source with its quote (each links to the document with that evidence highlighted), the date
// conflicts between sources, the review controls and the audit trail.

import { forget, get, missing, post, reviewer, token } from '../lib/api.js';
import { clear, enc, facts, h, link, message } from '../lib/dom.js';
import { label } from '../lib/dates.js';

const TYPES = ['AGREE', 'ASSAULT', 'AID', 'CONCEDE', 'CONSULT', 'COERCE', 'COOPERATE', 'DEMAND',
  'DISAPPROVE', 'MOBILIZE', 'PROTEST', 'REJECT', 'RETREAT', 'SANCTION', 'SUPPORT', 'THREATEN', 'ACCUSE'];

function reviewState(e) {
  const r = e.review;
  if (!r || !r.state) return 'not reviewed';
  return r.merged_into ? `${r.state} into ${r.merged_into}` : r.state;
}

function mergedInto(e) {
  return e.review && e.review.merged_into ? e.review.merged_into : null;
}

function show(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

async function auditTrail(box, id) {
  clear(box);
  box.appendChild(h('h2', null, 'Audit trail'));
  let data;
  try {
    data = await get('/api/reviews', { target: id });
  } catch (e) {
    box.appendChild(message(missing(e) ? 'note' : 'error', missing(e) ? 'Reviews are not available on this server.' : e.message));
    return;
  }
  const items = data.items || [];
  if (!items.length) {
    box.appendChild(message('empty', 'No review yet.'));
    return;
  }
  box.appendChild(
    h('table', { class: 'table audit', id: 'audit' },
      h('thead', null, h('tr', null, ...['when', 'who', 'action', 'before', 'after', 'note'].map((t) => h('th', null, t)))),
      h('tbody', null, items.map((r) =>
        h('tr', null,
          h('td', null, r.at || ''),
          h('td', null, r.reviewer || ''),
          h('td', { class: 'audit-action' }, r.action || ''),
          h('td', null, h('code', null, show(r.before))),
          h('td', null, h('code', { class: 'audit-after' }, show(r.after))),
          h('td', null, r.note || ''))))),
  );
}

function reviewForm(e, done) {
  const out = h('p', { class: 'review-result', id: 'review-result', role: 'status' });
  const who = h('input', { id: 'review-reviewer', type: 'text', value: reviewer(), maxlength: 100, required: true });
  const note = h('input', { id: 'review-note', type: 'text', maxlength: 1000 });
  const typeSel = h('select', { id: 'edit-type' }, [h('option', { value: '' }, '(keep)'), ...TYPES.map((t) => h('option', { value: t }, t))]);
  const mode = h('input', { id: 'edit-mode', type: 'text', placeholder: e.mode || '', maxlength: 100 });
  const date = h('input', { id: 'edit-date', type: 'text', placeholder: e.date || 'YYYY, YYYY-MM or YYYY-MM-DD', maxlength: 20 });
  const place = h('input', { id: 'edit-place', type: 'text', placeholder: e.place || '', maxlength: 200 });
  const into = h('input', { id: 'merge-into', type: 'text', placeholder: 'ev-…', maxlength: 200 });

  async function send(action) {
    out.textContent = '';
    out.className = 'review-result';
    const body = { target: 'event', id: e.id, action, reviewer: who.value.trim() || 'anonymous' };
    if (note.value.trim()) body.note = note.value.trim();
    if (action === 'edit') {
      const changes = {};
      if (typeSel.value) changes.type = typeSel.value;
      if (mode.value.trim()) changes.mode = mode.value.trim();
      if (date.value.trim()) changes.date = date.value.trim();
      if (place.value.trim()) changes.place = place.value.trim();
      if (!Object.keys(changes).length) {
        out.textContent = 'Nothing to change: fill in a field.';
        out.classList.add('error');
        return;
      }
      body.changes = changes;
    }
    if (action === 'merge') {
      if (!into.value.trim()) {
        out.textContent = 'Which event should this one be merged into?';
        out.classList.add('error');
        return;
      }
      body.into = into.value.trim();
    }
    if (!token()) out.textContent = 'No token given (see Token at the top): the server will refuse. ';
    try {
      await post('/api/review', body);
      forget();
      await done(`Saved: ${action}.`);
    } catch (err) {
      out.textContent += missing(err) ? 'Reviews are not available on this server.' : err.message;
      out.classList.add('error');
    }
  }
  const btn = (action, text) => h('button', { type: 'button', id: `review-${action}`, on: { click: () => send(action) } }, text);
  return h('section', { class: 'review' },
    h('h2', null, 'Review'),
    h('div', { class: 'row' }, h('label', null, 'Reviewer ', who), h('label', null, 'Note ', note)),
    h('div', { class: 'row' }, btn('accept', 'Accept'), btn('reject', 'Reject')),
    h('fieldset', null, h('legend', null, 'Edit'),
      h('label', null, 'Type ', typeSel), h('label', null, 'Mode ', mode),
      h('label', null, 'Date ', date), h('label', null, 'Place ', place), btn('edit', 'Save edit')),
    h('fieldset', null, h('legend', null, 'Merge into another event'),
      h('label', null, 'Event ', into), btn('merge', 'Merge')),
    out);
}

export async function render(root, route, ctx) {
  const id = route.id;
  const details = h('div');
  const audit = h('section', { class: 'audit-box' });
  root.appendChild(details);

  async function load(notice) {
    const e = await get(`/api/events/${enc(id)}`);
    if (ctx.stale()) return;
    clear(details);
    if (typeof notice === 'string') details.appendChild(h('p', { class: 'msg msg-ok', id: 'review-saved', role: 'status' }, notice));
    details.appendChild(h('h1', null, `${e.type} · ${e.mode}`, ' ', h('small', { class: 'muted' }, e.id)));
    const flags = [e.status];
    const into = mergedInto(e);
    if (into) details.appendChild(h('p', { class: 'msg' }, 'This event was merged into ', link(`#/event/${enc(into)}`, into), '.'));
    details.appendChild(
      facts([
        ['Date', h('span', { id: 'event-date' }, `${label(e.date, e.precision)}`, ' ', h('span', { class: 'badge' }, e.precision || 'none'))],
        ['Type / mode', `${e.type} / ${e.mode}`],
        ['Actors', (e.actors || []).join(', ')],
        ['Countries', (e.countries || []).join(', ')],
        ['Place', e.place || ''],
        ['Status', flags.join(', ')],
        ['Review', h('span', { id: 'event-review' }, reviewState(e))],
        ['Merged from', ((e.review && e.review.merged_from) || []).map((m, i) => [i ? ', ' : '', link(`#/event/${enc(m)}`, m)])],
      ]),
    );
    if ((e.conflicts || []).length) {
      details.appendChild(h('h2', null, 'Where the sources disagree'));
      details.appendChild(h('ul', { class: 'conflicts' }, e.conflicts.map((c) =>
        h('li', null, `${c.field}: `, (c.values || []).map((v, i) => [i ? '; ' : '', h('strong', null, v.value), ` (${(v.claims || []).length} source${(v.claims || []).length === 1 ? '' : 's'})`])))));
    }
    details.appendChild(h('h2', null, `Sources (${(e.sources || []).length})`));
    details.appendChild(h('ol', { class: 'sources' }, (e.sources || []).map((s) =>
      h('li', { class: 'source' },
        h('div', null,
          link(`#/doc/${enc(s.doc_id)}?ev=${enc(e.id)}&claim=${enc(s.claim)}&start=${s.start}&end=${s.end}`, s.doc, { class: 'source-link' }),
          ` — ${label(s.date, null)} · ${s.type} / ${s.mode}`),
        h('blockquote', { class: 'quote' }, s.text)))));
    details.appendChild(reviewForm(e, load));
    details.appendChild(audit);
    await auditTrail(audit, e.id);
  }
  await load();
  return null;
}
