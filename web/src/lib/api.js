// The JSON API: reads without a token (the server allows them from this machine), writes with the
// bearer token kept in sessionStorage for this tab.

const TOKEN_KEY = 'peacetrack.token';
const REVIEWER_KEY = 'peacetrack.reviewer';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

export function setToken(t) {
  try {
    if (t) sessionStorage.setItem(TOKEN_KEY, t);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage refused (private mode): the token lives only in the field.
  }
}

export function reviewer() {
  try {
    return sessionStorage.getItem(REVIEWER_KEY) || '';
  } catch {
    return '';
  }
}

export function setReviewer(r) {
  try {
    if (r) sessionStorage.setItem(REVIEWER_KEY, r);
    else sessionStorage.removeItem(REVIEWER_KEY);
  } catch {
    // As above.
  }
}

async function answer(res, what) {
  let body = null;
  const text = await res.text();
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const msg = body && typeof body.error === 'string' ? body.error : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, `${what}: ${msg}`);
  }
  if (body === null) throw new ApiError(res.status, `${what}: the answer is not JSON`);
  return body;
}

/** GET a JSON resource: `get('/api/events', {limit: 10})`; array values repeat the parameter. */
export async function get(path, params) {
  const url = new URL(path, location.origin);
  if (params) {
    for (const [k, v] of Object.entries(params)) {
      if (v === null || v === undefined || v === '') continue;
      if (Array.isArray(v)) for (const x of v) url.searchParams.append(k, x);
      else url.searchParams.set(k, v);
    }
  }
  const headers = { Accept: 'application/json' };
  let res;
  try {
    res = await fetch(url, { headers, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, `${path}: the server cannot be reached (${e.message})`);
  }
  return answer(res, url.pathname);
}

/** POST JSON with the bearer token. */
export async function post(path, body) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  let res;
  try {
    res = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, `${path}: the server cannot be reached (${e.message})`);
  }
  return answer(res, path);
}

/** Every event matching `params`, following `next_offset` (at most `max`). */
export async function allEvents(params, max = 20000) {
  const items = [];
  let offset = 0;
  while (offset !== null && offset !== undefined && items.length < max) {
    const page = await get('/api/events', { ...(params || {}), limit: 1000, offset });
    items.push(...(page.items || []));
    offset = page.next_offset;
  }
  return items;
}

/** Memoised GETs for the lists that do not change while the page is open (cleared on writes). */
const cache = new Map();
export function cached(path, params) {
  const key = path + JSON.stringify(params || {});
  if (!cache.has(key)) {
    const p = get(path, params);
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return cache.get(key);
}
export function forget() {
  cache.clear();
}

/** "Not available" for an endpoint this server does not have (404 on the route itself). */
export function missing(e) {
  return e instanceof ApiError && e.status === 404 && /no such resource/.test(e.message);
}
