// The timeline: every dated event, zoomable (vis-timeline), filtered by actor, country, type and
// issue. A day is a point; a week, month, season, quarter, half or year is a bar over that period.

import { allEvents, cached, get, missing } from '../lib/api.js';
import { clear, enc, h, link, message } from '../lib/dom.js';
import { label, period } from '../lib/dates.js';

function options(values, all) {
  return [h('option', { value: '' }, all), ...values.map((v) => h('option', { value: v }, v))];
}

function matches(e, f, issueEvents) {
  if (f.actor && !(e.actors || []).includes(f.actor)) return false;
  if (f.country && !(e.countries || []).includes(f.country)) return false;
  if (f.type && e.type !== f.type) return false;
  if (f.issue && !(issueEvents && issueEvents.has(e.id))) return false;
  return true;
}

function summary(e) {
  const who = (e.actors || []).join(', ');
  return [e.type, e.mode, who, e.place].filter(Boolean).join(' · ');
}

export async function render(root, route, ctx) {
  const params = route.params;
  const f = {
    actor: params.get('actor') || '',
    country: params.get('country') || '',
    type: params.get('type') || '',
    issue: params.get('issue') || '',
  };
  root.appendChild(h('h1', null, 'Timeline'));
  const status = h('p', { class: 'status', id: 'timeline-status' }, 'Loading events…');
  root.appendChild(status);

  const withRejected = params.get('rejected') === '1';
  const [events, actors, issueList] = await Promise.all([
    allEvents(withRejected ? { include_rejected: 'true' } : {}),
    cached('/api/actors').catch(() => ({ items: [] })),
    cached('/api/issues').catch((e) => ({ items: [], error: e })),
  ]);
  if (ctx.stale()) return null;
  const dated = events.filter((e) => period(e.date));
  const countries = [...new Set(dated.flatMap((e) => e.countries || []))].sort();
  const types = [...new Set(dated.map((e) => e.type))].sort();
  const actorNames = (actors.items || []).map((a) => a.name).sort((a, b) => a.localeCompare(b));

  const sel = {
    actor: h('select', { id: 'f-actor', 'aria-label': 'Actor' }, options(actorNames, 'every actor')),
    country: h('select', { id: 'f-country', 'aria-label': 'Country' }, options(countries, 'every country')),
    type: h('select', { id: 'f-type', 'aria-label': 'Type' }, options(types, 'every type')),
    issue: h(
      'select',
      { id: 'f-issue', 'aria-label': 'Issue', disabled: issueList.error ? true : null },
      [
        h('option', { value: '' }, issueList.error ? 'issues not available' : 'every issue'),
        ...(issueList.items || []).map((i) => h('option', { value: i.issue }, i.name || i.issue)),
      ],
    ),
  };
  for (const [k, s] of Object.entries(sel)) s.value = f[k];
  const fit = h('button', { type: 'button', id: 'timeline-fit' }, 'Fit all');
  const rejected = h('input', { type: 'checkbox', id: 'f-rejected', checked: withRejected });
  rejected.addEventListener('change', () => {
    const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v));
    if (rejected.checked) q.set('rejected', '1');
    location.hash = `#/timeline${q.toString() ? `?${q}` : ''}`;
  });
  root.appendChild(
    h(
      'div',
      { class: 'filters' },
      h('label', null, 'Actor ', sel.actor),
      h('label', null, 'Country ', sel.country),
      h('label', null, 'Type ', sel.type),
      h('label', null, 'Issue ', sel.issue),
      h('label', { title: 'Events a reviewer rejected or merged into another' }, rejected, ' rejected and merged too'),
      fit,
    ),
  );
  root.appendChild(
    h(
      'p',
      { class: 'legend' },
      h('span', { class: 'legend-point' }, 'a dot: a day'),
      h('span', { class: 'legend-range' }, 'a bar: the week, month, season, quarter or year the source gives'),
      'Scroll to zoom, drag to move, click an event to open it.',
    ),
  );
  const holder = h('div', { id: 'timeline', class: 'timeline-holder' });
  root.appendChild(holder);
  const list = h('div', { class: 'event-list' });
  root.appendChild(list);

  const vis = window.vis;
  let tl = null;
  let dataset = null;
  if (vis && vis.Timeline && vis.DataSet) {
    dataset = new vis.DataSet([]);
    tl = new vis.Timeline(holder, dataset, {
      stack: true,
      zoomable: true,
      zoomKey: '',
      horizontalScroll: false,
      orientation: 'top',
      verticalScroll: true,
      minHeight: '220px',
      maxHeight: '520px',
      zoomMin: 7 * 86400000,
      selectable: true,
      tooltip: { followMouse: true },
      xss: { disabled: false },
    });
    tl.on('select', (props) => {
      const id = props.items && props.items[0];
      if (id) location.hash = `#/event/${enc(id)}`;
    });
  } else {
    holder.appendChild(message('error', 'The timeline library is not available; the events are listed below.'));
  }

  let issueEvents = null;
  async function loadIssue() {
    issueEvents = null;
    if (!f.issue) return;
    try {
      const d = await get(`/api/issues/${enc(f.issue)}`);
      issueEvents = new Set((d.events || d.linked_events || []).map((e) => (typeof e === 'string' ? e : e.id)));
      const steps = Array.isArray(d.history) ? d.history : (d.history && d.history.steps) || [];
      for (const step of steps) for (const id of step.events || []) issueEvents.add(id);
    } catch (e) {
      issueEvents = new Set();
      status.textContent = missing(e) ? 'Issues are not available on this server.' : e.message;
    }
  }

  // Opens on where most events are: a few early outliers would otherwise squeeze the rest into
  // one corner. "Fit all" shows everything.
  function focusDense(items) {
    const starts = items.map((i) => i.start.getTime()).sort((a, b) => a - b);
    const ends = items.map((i) => (i.end || i.start).getTime());
    if (starts.length < 10) {
      tl.fit({ animation: false });
      return;
    }
    const year = 365.25 * 86400000;
    const lo = starts[Math.floor(starts.length * 0.1)];
    const hi = Math.max(...ends);
    if (hi - starts[0] > 8 * year && lo > starts[0]) {
      tl.setWindow(new Date(lo - year / 4), new Date(hi + year / 6), { animation: false });
    } else {
      tl.fit({ animation: false });
    }
  }

  function draw(first) {
    const shown = dated.filter((e) => matches(e, f, issueEvents));
    status.textContent = `${shown.length} of ${dated.length} dated events` +
      (events.length > dated.length ? ` (${events.length - dated.length} undated not drawn)` : '');
    if (dataset) {
      const items = shown.map((e) => {
        const p = period(e.date);
        const content = h('span', { class: 'tl-item', dataset: { event: e.id }, title: `${label(e.date, e.precision)}: ${summary(e)}` },
          `${e.type} ${(e.actors || []).slice(0, 2).join(', ')}`);
        const cls = (v) => String(v).replace(/[^A-Za-z0-9_-]/g, '_');
        const state = e.review && e.review.state ? ` review-${cls(e.review.state)}` : '';
        const item = {
          id: e.id,
          content,
          start: new Date(p.start),
          className: `prec-${p.precision} type-${cls(e.type)}${state}`,
        };
        if (p.precision === 'day') item.type = 'point';
        else {
          item.type = 'range';
          item.end = new Date(p.end);
        }
        return item;
      });
      dataset.clear();
      dataset.add(items);
      if (first) focusDense(items);
      else if (items.length) tl.fit({ animation: false });
    }
    clear(list);
    if (!shown.length) {
      list.appendChild(message('empty', 'No dated event matches these filters.'));
      return;
    }
    const rows = shown.slice(0, 500).map((e) =>
      h('tr', null,
        h('td', null, link(`#/event/${enc(e.id)}`, label(e.date, e.precision))),
        h('td', null, `${e.type} / ${e.mode}`),
        h('td', null, (e.actors || []).join(', ')),
        h('td', null, (e.countries || []).join(' ')),
        h('td', null, e.place || ''),
        h('td', null, String((e.sources || []).length)),
      ));
    list.appendChild(
      h('table', { class: 'table' },
        h('thead', null, h('tr', null, ...['date', 'type / mode', 'actors', 'countries', 'place', 'sources'].map((t) => h('th', null, t)))),
        h('tbody', null, rows)),
    );
    if (shown.length > 500) list.appendChild(message('note', `The first 500 of ${shown.length} are listed; all are drawn above.`));
  }

  async function changed() {
    for (const k of Object.keys(sel)) f[k] = sel[k].value;
    const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v));
    if (withRejected) q.set('rejected', '1');
    history.replaceState(null, '', `#/timeline${q.toString() ? `?${q}` : ''}`);
    await loadIssue();
    draw(false);
  }
  for (const s of Object.values(sel)) s.addEventListener('change', changed);
  fit.addEventListener('click', () => tl && tl.fit());
  await loadIssue();
  draw(true);
  return () => {
    if (tl) tl.destroy();
  };
}
