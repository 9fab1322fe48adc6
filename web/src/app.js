// The single-page application: hash routes (#/timeline, #/map, #/issues, #/issue/ID,
// #/conditions, #/documents, #/doc/ID?ev=EVENT&claim=CLAIM, #/event/ID, #/search?q=…), the search
// box and the review token. Each view renders into <main> from the JSON API.

import { clear, h, message } from './lib/dom.js';
import { reviewer, setReviewer, setToken, token } from './lib/api.js';
import * as timeline from './views/timeline.js';
import * as eventView from './views/event.js';
import * as docView from './views/document.js';
import * as documents from './views/documents.js';
import * as mapView from './views/map.js';
import * as issues from './views/issues.js';
import * as graph from './views/graph.js';
import * as search from './views/search.js';

const ROUTES = {
  timeline: timeline.render,
  event: eventView.render,
  doc: docView.render,
  documents: documents.render,
  map: mapView.render,
  issues: issues.render,
  issue: issues.renderIssue,
  conditions: graph.render,
  search: search.render,
};

let cleanup = null;
let generation = 0;

/** The current route: `{view, id, params}`. */
export function parseHash(hash) {
  const raw = (hash || '').replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const params = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  const [view, ...rest] = path.split('/');
  let id = rest.join('/');
  try {
    id = decodeURIComponent(id);
  } catch {
    // A malformed escape: keep the id as written.
  }
  return { view: view || 'timeline', id, params };
}

function showVendorProblems() {
  const problems = window.peacetrackVendorErrors || [];
  const banner = document.getElementById('banner');
  if (problems.length) {
    clear(banner);
    banner.appendChild(h('strong', null, problems[0]));
    banner.appendChild(document.createTextNode(' The views that need them say so; the API works as ever.'));
    banner.hidden = false;
  }
}

async function route() {
  const mine = ++generation;
  if (typeof cleanup === 'function') {
    try {
      cleanup();
    } catch {
      // A view's cleanup failing must not stop the next one.
    }
  }
  cleanup = null;
  const r = parseHash(location.hash);
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.view === r.view || (r.view === 'issue' && a.dataset.view === 'issues'));
  }
  const root = document.getElementById('view');
  clear(root);
  root.dataset.view = r.view;
  root.setAttribute('aria-busy', 'true');
  const render = ROUTES[r.view];
  if (!render) {
    root.appendChild(message('error', `No such page: ${r.view}`));
    root.removeAttribute('aria-busy');
    return;
  }
  const box = h('div', { class: `page page-${r.view}` });
  root.appendChild(box);
  try {
    const c = await render(box, r, { stale: () => mine !== generation });
    if (mine === generation) cleanup = c;
    else if (typeof c === 'function') c();
  } catch (e) {
    if (mine === generation) box.appendChild(message('error', e && e.message ? e.message : String(e)));
  } finally {
    if (mine === generation) {
      root.removeAttribute('aria-busy');
      root.dataset.ready = String(mine);
    }
  }
}

function setupHeader() {
  const form = document.getElementById('search-form');
  const input = document.getElementById('search-input');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = input.value.trim();
    if (q) location.hash = `#/search?q=${encodeURIComponent(q)}`;
  });
  const tokenForm = document.getElementById('token-form');
  const tokenInput = document.getElementById('token-input');
  const reviewerInput = document.getElementById('reviewer-input');
  const summary = document.getElementById('token-summary');
  const showState = () => {
    summary.textContent = token() ? 'Token ✓' : 'Token';
  };
  tokenInput.value = token();
  reviewerInput.value = reviewer();
  showState();
  tokenForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    setToken(tokenInput.value.trim());
    setReviewer(reviewerInput.value.trim());
    showState();
    tokenForm.closest('details').open = false;
  });
  document.getElementById('token-clear').addEventListener('click', () => {
    tokenInput.value = '';
    setToken('');
    showState();
  });
}

function start() {
  setupHeader();
  showVendorProblems();
  window.addEventListener('hashchange', route);
  if (!location.hash) history.replaceState(null, '', '#/timeline');
  route();
}

start();
