// The issue board: one card per agenda issue of the case with its current status, last change,
// events and sources; an issue's page has its status history (steps with dates and sources), the
// parties' positions and the linked events.

import { cached, get, missing } from '../lib/api.js';
import { enc, facts, h, link, message } from '../lib/dom.js';
import { label } from '../lib/dates.js';

function notAvailable(root, e, what) {
  root.appendChild(message(missing(e) ? 'note' : 'error',
    missing(e) ? `${what} are not available on this server (no case endpoints).` : e.message));
}

function docLinks(docs) {
  return (docs || []).map((d, i) => [i ? ', ' : '', link(`#/doc/${enc(d)}`, d)]);
}

export async function render(root, route, ctx) {
  root.appendChild(h('h1', null, 'Issues'));
  let board;
  let kase = null;
  try {
    board = await get('/api/issues');
  } catch (e) {
    notAvailable(root, e, 'Issues');
    return null;
  }
  try {
    kase = await cached('/api/case');
  } catch {
    kase = null;
  }
  if (ctx.stale()) return null;
  if (kase && kase.name) root.appendChild(h('p', { class: 'muted' }, kase.name));
  const tracks = new Map((kase && kase.tracks ? kase.tracks : []).map((t) => [t.id, t.name]));
  const items = board.items || [];
  if (!items.length) {
    root.appendChild(message('empty', 'The case lists no issue.'));
    return null;
  }
  const byTrack = new Map();
  for (const i of items) {
    const t = i.track || '';
    if (!byTrack.has(t)) byTrack.set(t, []);
    byTrack.get(t).push(i);
  }
  for (const [track, issues] of byTrack) {
    root.appendChild(h('h2', null, tracks.get(track) || track || 'No track'));
    root.appendChild(h('div', { class: 'board' }, issues.map((i) =>
      h('a', { class: `card status-${/^[a-z_]+$/.test(i.status || '') ? i.status : 'none'}`, href: `#/issue/${enc(i.issue)}`, dataset: { issue: i.issue } },
        h('h3', null, i.name || i.issue),
        h('p', { class: 'card-status' }, i.status || 'no status yet'),
        h('p', { class: 'muted' }, i.last_change ? `since ${label(i.last_change, null)}` : 'no dated change'),
        h('p', null, `${i.events || 0} event${i.events === 1 ? '' : 's'} · ${(i.sources || []).length} source${(i.sources || []).length === 1 ? '' : 's'}`)))));
  }
  return null;
}

function positionRows(p) {
  // The model's Position ({party, stances: [{stance, date, event, doc, evidence}]}) or a flat
  // position ({party, stance, date, docs, text}).
  if (Array.isArray(p.stances)) {
    return p.stances.map((st) => ({ party: p.party, stance: st.stance, date: st.date, docs: st.doc ? [st.doc] : [], text: st.evidence, event: st.event }));
  }
  return [{ party: p.party, stance: p.stance, date: p.date, docs: p.docs || [], text: p.text, event: p.event }];
}

export async function renderIssue(root, route, ctx) {
  let d;
  try {
    d = await get(`/api/issues/${enc(route.id)}`);
  } catch (e) {
    root.appendChild(h('h1', null, route.id));
    notAvailable(root, e, 'Issues');
    return null;
  }
  if (ctx.stale()) return null;
  root.appendChild(h('p', null, link('#/issues', '← every issue')));
  root.appendChild(h('h1', null, d.name || d.issue));
  const kase = await cached('/api/case').catch(() => null);
  const track = kase && kase.tracks ? kase.tracks.find((t) => t.id === d.track) : null;
  root.appendChild(facts([['Track', track ? track.name : d.track || ''], ['Current status', h('strong', { id: 'issue-status' }, d.status || 'no status yet')]]));
  root.appendChild(h('h2', null, 'Status history'));
  // `history`: the steps, or the model's IssueHistory ({issue, steps, current}).
  const history = Array.isArray(d.history) ? d.history : (d.history && d.history.steps) || [];
  if (!history.length) root.appendChild(message('empty', 'No step recorded.'));
  else {
    root.appendChild(h('ol', { class: 'steps', id: 'issue-history' }, history.map((st) =>
      h('li', { class: 'step' },
        h('strong', null, st.state), ` — ${label(st.date, st.precision)}`,
        (st.events || []).length ? h('div', null, 'events: ', (st.events || []).map((id, i) => [i ? ', ' : '', link(`#/event/${enc(id)}`, id)])) : null,
        (st.docs || []).length ? h('div', null, 'sources: ', docLinks(st.docs)) : null,
        (st.milestones || []).length ? h('div', { class: 'muted' }, `case milestones: ${st.milestones.join(', ')}`) : null,
        (st.citations || []).length ? h('div', null, 'cited: ', st.citations.map((c, i) => [i ? '; ' : '', link(`#/doc/${enc(c.doc)}`, c.doc), c.note ? ` (${c.note})` : ''])) : null))));
  }
  root.appendChild(h('h2', null, 'Positions'));
  const rows = (d.positions || []).flatMap(positionRows);
  if (!rows.length) root.appendChild(message('empty', 'No stated position.'));
  else {
    root.appendChild(h('table', { class: 'table' },
      h('thead', null, h('tr', null, ...['party', 'stance', 'date', 'sources', 'evidence'].map((t) => h('th', null, t)))),
      h('tbody', null, rows.map((r) => h('tr', null,
        h('td', null, r.party || ''), h('td', null, String(r.stance || '')),
        h('td', null, r.event ? link(`#/event/${enc(r.event)}`, label(r.date, null)) : label(r.date, null)),
        h('td', null, docLinks(r.docs)), h('td', { class: 'quote-cell' }, r.text || ''))))));
  }
  const events = d.events || d.linked_events || [];
  root.appendChild(h('h2', null, `Events (${events.length})`));
  if (events.length) {
    root.appendChild(h('ul', { class: 'issue-events' }, events.map((e) => typeof e === 'string'
      ? h('li', null, link(`#/event/${enc(e)}`, e))
      : h('li', null, link(`#/event/${enc(e.id)}`, label(e.date, e.precision)), ` ${e.type}${e.mode ? ` / ${e.mode}` : ''}`,
        (e.actors || []).length ? ` · ${e.actors.join(', ')}` : '',
        e.doc ? [' · ', link(`#/doc/${enc(e.doc)}`, e.doc)] : '',
        e.evidence ? h('blockquote', { class: 'quote' }, e.evidence) : null))));
  }
  return null;
}
