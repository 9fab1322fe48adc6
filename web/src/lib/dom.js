// DOM helpers. Every piece of text from the record goes through text nodes or textContent: nothing
// from the data is ever parsed as HTML.

/**
 * Creates an element. `attrs` may hold `class`, `text` (textContent), `on` ({event: handler}),
 * `dataset` ({key: value}), and plain attributes; children are nodes, strings (as text) or null.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = String(v);
      else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
      else if (k === 'dataset') for (const [dk, dv] of Object.entries(v)) el.dataset[dk] = String(dv);
      else if (k === 'href') el.setAttribute('href', safeHref(v));
      else if (k.startsWith('on')) throw new Error('event handlers go in `on`');
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

/** Appends children: nodes, strings (as text), arrays of them; null and undefined are skipped. */
export function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  return el;
}

/** Only links inside this application (hash routes) or to this server's own paths. */
export function safeHref(v) {
  const s = String(v);
  if (s.startsWith('#') || (s.startsWith('/') && !s.startsWith('//'))) return s;
  return '#';
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** A hash link: `link('#/event/ID', 'text')`. */
export function link(href, text, attrs) {
  return h('a', { ...(attrs || {}), href }, text);
}

/** Route parameter encoding for hash links. */
export function enc(s) {
  return encodeURIComponent(String(s));
}

/** A message box: `kind` is 'error', 'note' or 'empty'. */
export function message(kind, text) {
  return h('p', { class: `msg msg-${kind}`, role: kind === 'error' ? 'alert' : null }, text);
}

/** A definition list from [label, value] pairs (values: strings or nodes; empty ones skipped). */
export function facts(pairs) {
  const dl = h('dl', { class: 'facts' });
  for (const [k, v] of pairs) {
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    dl.appendChild(h('dt', null, k));
    dl.appendChild(h('dd', null, v));
  }
  return dl;
}

/** Text with [start, end) UTF-16 ranges wrapped in <mark>. */
export function highlighted(text, ranges) {
  const frag = document.createDocumentFragment();
  let at = 0;
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  for (const [s, e] of sorted) {
    if (s < at || e <= s) continue;
    frag.appendChild(document.createTextNode(text.slice(at, s)));
    frag.appendChild(h('mark', null, text.slice(s, e)));
    at = e;
  }
  frag.appendChild(document.createTextNode(text.slice(at)));
  return frag;
}
