// The map: country borders from world-atlas (Natural Earth, embedded), framed on the South
// Caucasus places that have events; a marker per place with events (area by event count) and the
// gazetteer's border crossings. Clicking a marker lists its events. Pure SVG (d3-geo), no tiles.

import { allEvents, cached, get } from '../lib/api.js';
import { clear, enc, h, link, message } from '../lib/dom.js';
import { label } from '../lib/dates.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 960;
const HEIGHT = 600;
// The South Caucasus and its neighbours, as [west, south, east, north].
const REGION = [36, 36, 52, 45];
// ISO numeric ids of the case's parties and neighbours (Armenia, Azerbaijan, Georgia, Türkiye, Iran, Russia).
const PARTIES = new Set(['051', '031', '268', '792', '364', '643']);

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c) el.appendChild(c);
  return el;
}

function isCrossing(p) {
  if (p.kind) return p.kind === 'crossing';
  return /crossing|border gate|checkpoint/i.test(p.name || '');
}

function inRegion(p) {
  return p.lon >= REGION[0] && p.lon <= REGION[2] && p.lat >= REGION[1] && p.lat <= REGION[3];
}

/** A GeoJSON multipoint around `points`, padded so that one point still frames a region. */
function frame(points) {
  const coords = [];
  for (const p of points) {
    coords.push([p.lon - 2, p.lat - 1.2], [p.lon + 2, p.lat + 1.2]);
  }
  return { type: 'MultiPoint', coordinates: coords };
}

export async function render(root, route, ctx) {
  root.appendChild(h('h1', null, 'Map'));
  const d3 = window.d3;
  const topojson = window.topojson;
  if (!d3 || !d3.geoPath || !topojson) {
    root.appendChild(message('error', 'The map libraries are not available.'));
    return null;
  }
  const [world, placeList] = await Promise.all([
    cached('/vendor/countries-50m.json'),
    get('/api/places', { all: 'true' }).catch(() => get('/api/places')),
  ]);
  if (ctx.stale()) return null;
  if (!world || !world.objects || !world.objects.countries) {
    root.appendChild(message('error', world && world.error ? world.error : 'The country borders are not available.'));
    return null;
  }
  const places = (placeList.items || []).filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
  const withEvents = places.filter((p) => p.events > 0);
  const crossings = places.filter(isCrossing);
  const unlocated = (placeList.items || []).filter((p) => !Number.isFinite(p.lat) && p.events > 0);

  const regionBtn = h('button', { type: 'button', id: 'map-region' }, 'South Caucasus');
  const allBtn = h('button', { type: 'button', id: 'map-all' }, 'Every place');
  root.appendChild(h('div', { class: 'filters' }, regionBtn, allBtn,
    h('span', { class: 'legend' },
      h('span', { class: 'legend-marker' }, 'events at a place (area: how many)'),
      h('span', { class: 'legend-crossing' }, 'border crossing'),
      'Scroll to zoom, drag to move.')));
  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'map', id: 'map', role: 'img', 'aria-label': 'Map of the places of the record' });
  const list = h('aside', { class: 'map-panel', id: 'map-panel' }, message('note', 'Click a marker to list its events.'));
  root.appendChild(h('div', { class: 'map-layout' }, h('div', { class: 'map-box' }, svg), list));
  if (unlocated.length) {
    root.appendChild(message('note', `Places the gazetteer cannot locate: ${unlocated.map((p) => p.name).join(', ')}.`));
  }
  const countries = topojson.feature(world, world.objects.countries);

  async function listEvents(p) {
    clear(list);
    list.appendChild(h('h2', null, p.name));
    list.appendChild(h('p', { class: 'muted' }, [p.country, isCrossing(p) ? 'border crossing' : null, `${p.events} event${p.events === 1 ? '' : 's'}`].filter(Boolean).join(' · ')));
    if (!p.events) return;
    try {
      const evs = await allEvents({ place: p.name }, 1000);
      list.appendChild(h('ul', { class: 'place-events' }, evs.map((e) =>
        h('li', null, link(`#/event/${enc(e.id)}`, label(e.date, e.precision)), ` ${e.type} · ${(e.actors || []).join(', ')}`))));
    } catch (e) {
      list.appendChild(message('error', e.message));
    }
  }

  function draw(target) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const projection = d3.geoMercator();
    const inside = target === 'all' ? withEvents : withEvents.filter(inRegion);
    const shown = inside.length ? inside : [{ lon: 44.5, lat: 40.5 }];
    projection.fitExtent([[20, 20], [WIDTH - 20, HEIGHT - 20]], frame(shown));
    const path = d3.geoPath(projection);
    svg.appendChild(s('rect', { x: 0, y: 0, width: WIDTH, height: HEIGHT, class: 'sea' }));
    const g = s('g', { class: 'countries' });
    for (const f of countries.features) {
      const d = path(f);
      if (!d) continue;
      const id = String(f.id || '').padStart(3, '0');
      g.appendChild(s('path', { d, class: PARTIES.has(id) ? 'country party' : 'country', 'data-id': id },
        s('title', { text: (f.properties && f.properties.name) || id })));
    }
    svg.appendChild(g);
    // The parties' names, at their centroids when those are in view.
    const names = s('g', { class: 'country-names' });
    for (const f of countries.features) {
      const id = String(f.id || '').padStart(3, '0');
      if (!PARTIES.has(id)) continue;
      const c = path.centroid(f);
      if (!c || !Number.isFinite(c[0]) || c[0] < 0 || c[0] > WIDTH || c[1] < 0 || c[1] > HEIGHT) continue;
      names.appendChild(s('text', { x: c[0], y: c[1], class: 'country-name', text: (f.properties && f.properties.name) || id }));
    }
    svg.appendChild(names);
    const marks = s('g', { class: 'markers' });
    const add = (p, crossing) => {
      const xy = projection([p.lon, p.lat]);
      if (!xy || !Number.isFinite(xy[0])) return;
      const title = s('title', { text: `${p.name}: ${p.events} event${p.events === 1 ? '' : 's'}` });
      let el;
      if (crossing) {
        const r = 6;
        el = s('rect', { x: xy[0] - r, y: xy[1] - r, width: 2 * r, height: 2 * r, transform: `rotate(45 ${xy[0]} ${xy[1]})`, class: 'crossing' }, title);
      } else {
        el = s('circle', { cx: xy[0], cy: xy[1], r: 4 + 3 * Math.sqrt(p.events), class: 'marker' }, title);
      }
      el.setAttribute('data-place', p.name);
      el.setAttribute('tabindex', '0');
      el.addEventListener('click', () => listEvents(p));
      el.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') listEvents(p);
      });
      marks.appendChild(el);
      if (p.events > 0 || crossing) {
        marks.appendChild(s('text', { x: xy[0] + 8, y: xy[1] - 6, class: 'place-label', text: p.name }));
      }
    };
    for (const p of withEvents) if (!isCrossing(p)) add(p, false);
    for (const p of crossings) add(p, true);
    svg.appendChild(marks);
  }
  // Zoom with the wheel (around the pointer) and pan by dragging: the view box moves, the
  // drawing stays.
  let box = [0, 0, WIDTH, HEIGHT];
  const setBox = (b) => {
    box = b;
    svg.setAttribute('viewBox', b.join(' '));
  };
  const toSvg = (ev) => {
    const r = svg.getBoundingClientRect();
    return [box[0] + ((ev.clientX - r.left) / r.width) * box[2], box[1] + ((ev.clientY - r.top) / r.height) * box[3]];
  };
  svg.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const [x, y] = toSvg(ev);
    const k = ev.deltaY > 0 ? 1.25 : 0.8;
    const w = Math.min(WIDTH * 8, Math.max(WIDTH / 40, box[2] * k));
    const f = w / box[2];
    setBox([x - (x - box[0]) * f, y - (y - box[1]) * f, w, box[3] * f]);
  }, { passive: false });
  let drag = null;
  svg.addEventListener('pointerdown', (ev) => {
    if (ev.target instanceof SVGElement && ev.target.closest('.markers')) return;
    drag = { x: ev.clientX, y: ev.clientY, box: [...box] };
  });
  for (const end of ['pointerup', 'pointerleave', 'pointercancel']) {
    svg.addEventListener(end, () => {
      drag = null;
    });
  }
  svg.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    const r = svg.getBoundingClientRect();
    const dx = ((ev.clientX - drag.x) / r.width) * drag.box[2];
    const dy = ((ev.clientY - drag.y) / r.height) * drag.box[3];
    setBox([drag.box[0] - dx, drag.box[1] - dy, drag.box[2], drag.box[3]]);
  });
  const reset = (target) => {
    setBox([0, 0, WIDTH, HEIGHT]);
    draw(target);
  };
  regionBtn.addEventListener('click', () => reset('region'));
  allBtn.addEventListener('click', () => reset('all'));
  draw(route.params.get('frame') === 'all' ? 'all' : 'region');
  return null;
}
