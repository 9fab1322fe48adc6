#!/usr/bin/env node
// The web interface end to end in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser is downloaded).
//
//   node web/e2e/ui.cjs BASE_URL TOKEN SCREENSHOT_DIR
//
// BASE_URL serves a store holding the sample corpus and `hostile.txt`, an article full of
// <script>, onerror= and javascript: text. Checks: the timeline draws events and opens one; the
// event's source opens the document with that evidence highlighted, its text equal to the quote;
// the hostile document runs nothing; the condition graph's scenario changes with an assumption;
// a review edit is refused without the token and persists with it; the map, issue board and search
// render. A PNG of each view goes to SCREENSHOT_DIR. Exits 0 when every check passed, 1 otherwise.
// CHROMIUM names another browser binary.

'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const [base, token, shots] = process.argv.slice(2);
if (!base || !token || !shots) {
  console.error('usage: node ui.cjs BASE_URL TOKEN SCREENSHOT_DIR');
  process.exit(2);
}
fs.mkdirSync(shots, { recursive: true });

const failures = [];
const notes = [];
let passed = 0;

function check(ok, what) {
  if (ok) {
    passed += 1;
    console.log(`ok - ${what}`);
  } else {
    failures.push(what);
    console.log(`FAILED - ${what}`);
  }
}

const norm = (s) => String(s || '').replace(/\s+/g, ' ').trim();

async function ready(page, view) {
  await page.waitForFunction(
    (v) => {
      const m = document.getElementById('view');
      return m && m.dataset.view === v && !m.hasAttribute('aria-busy') && m.dataset.ready;
    },
    view,
    { timeout: 30000 },
  );
}

async function go(page, hash, view) {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await ready(page, view);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

/** GET from the page's own origin (no token needed on loopback). */
async function api(page, p) {
  return page.evaluate(async (url) => {
    const r = await fetch(url);
    let body = null;
    try {
      body = await r.json();
    } catch {
      body = null;
    }
    return { status: r.status, body };
  }, p);
}

function missingRoute(res) {
  return res.status === 404 && res.body && /no such resource/.test(String(res.body.error));
}

async function noScriptRan(page, where) {
  const state = await page.evaluate(() => ({
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    // The shell's own scripts are in <head>, each with a src; nothing else may be a script.
    scripts: document.querySelectorAll('body script').length +
      [...document.head.querySelectorAll('script')].filter((s) => !s.getAttribute('src')).length,
    handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
    images: document.querySelectorAll('main img, main iframe, main object, main embed').length,
    jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href'))).length,
  }));
  check(state.pwned === null, `${where}: the hostile payload did not run (window.__pwned unset)`);
  check(state.scripts === 0, `${where}: no <script> element from the data in the DOM`);
  check(state.handlers === 0, `${where}: no element carries an on… handler attribute`);
  check(state.images === 0, `${where}: no <img>/<iframe>/<object> from the data`);
  check(state.jsLinks === 0, `${where}: no javascript: link`);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const dialogs = [];
  const problems = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Nothing may leave this server.
    const foreign = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(base) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      foreign.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss().catch(() => {});
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (400|401|404)/.test(m.text())) {
        problems.push(`console (${page.url().replace(base, "")}): ${m.text().slice(0, 60)}`);
      }
    });

    // --- Timeline ---
    await page.goto(`${base}/#/timeline`);
    await ready(page, 'timeline');
    await page.waitForSelector('.vis-item', { timeout: 20000 }).catch(() => {});
    await shot(page, 'timeline');
    await page.click('#timeline-fit');
    await page.waitForTimeout(700);
    const drawn = await page.locator('.vis-item').count();
    check(drawn > 0, `the timeline draws events (${drawn})`);
    const ranges = await page.locator('.vis-item.vis-range').count();
    const points = await page.locator('.vis-item.vis-point').count();
    check(points > 0, `day-precise events are points (${points})`);
    check(ranges > 0, `month- and year-precise events are bars over their period (${ranges})`);
    notes.push(`timeline: ${points} points, ${ranges} ranges`);
    const banner = await page.locator('#banner').isVisible();
    check(!banner, 'no banner about missing UI libraries');
    // A filter narrows the timeline.
    const types = await page.$$eval('#f-type option', (os) => os.map((o) => o.value).filter(Boolean));
    if (types.length > 1) {
      await page.selectOption('#f-type', types[0]);
      await page.waitForTimeout(300);
      const filtered = await page.locator('.vis-item').count();
      check(filtered > 0 && filtered < drawn, `the type filter narrows the timeline (${filtered} of ${drawn})`);
      await page.selectOption('#f-type', '');
      await page.waitForTimeout(300);
    }

    // Click a day-precise event of the sample corpus (not the hostile one).
    const events = (await api(page, '/api/events?limit=1000')).body.items;
    const target = events.find((e) => e.precision === 'day' && e.sources.length > 0 && !e.sources.some((s) => s.doc === 'hostile.txt'));
    check(!!target, 'the record has a day-precise event to open');
    if (target) {
      await page.evaluate(() => window.scrollTo(0, 0));
      const item = page.locator(`.tl-item[data-event="${target.id}"]`);
      await item.first().scrollIntoViewIfNeeded().catch(() => {});
      await item.first().click({ timeout: 10000 }).catch((e) => problems.push(`clicking the event: ${e.message}`));
      await page.waitForFunction((id) => location.hash === `#/event/${encodeURIComponent(id)}`, target.id, { timeout: 10000 })
        .catch(() => {});
      const hash = await page.evaluate(() => location.hash);
      check(hash === `#/event/${encodeURIComponent(target.id)}`, `clicking an event on the timeline opens its page (${hash})`);
      if (hash !== `#/event/${encodeURIComponent(target.id)}`) await go(page, `#/event/${encodeURIComponent(target.id)}`, 'event');
      await ready(page, 'event');
      const quote = norm(await page.locator('blockquote.quote').first().textContent());
      check(quote === norm(target.sources[0].text), 'the event page quotes its first source');
      const dateText = await page.locator('#event-date').textContent();
      check(/day/.test(dateText), `the event's date shows its precision (${norm(dateText)})`);
      await shot(page, 'event');

      // --- Document view from the source link ---
      await page.locator('a.source-link').first().click();
      await ready(page, 'doc');
      const evidence = await page.evaluate(() => {
        const marks = [...document.querySelectorAll('#doc-text mark.focus')];
        const el = document.getElementById('evidence');
        const r = el ? el.getBoundingClientRect() : null;
        return {
          count: marks.length,
          text: marks.map((m) => m.textContent).join(''),
          isEvidence: !!el && el.classList.contains('focus') && el.dataset.kind === 'event',
          visible: !!r && r.bottom > 0 && r.top < window.innerHeight,
        };
      });
      check(evidence.isEvidence, 'the document view highlights the evidence (#evidence.focus)');
      check(norm(evidence.text) === quote, `the highlighted evidence is the event's quote (${JSON.stringify(norm(evidence.text).slice(0, 80))})`);
      check(evidence.visible, 'the evidence is scrolled into view');
      const kinds = await page.$$eval('#doc-text mark.hl', (ms) => [...new Set(ms.map((m) => m.dataset.kind))]);
      check(kinds.includes('timex') && kinds.includes('event'), `the document highlights every kind of item (${kinds.join(', ')})`);
      // Every highlight's text is the document's bytes at its offsets (UTF-8 offsets mapped right).
      const doc = (await api(page, `/api/documents/${encodeURIComponent(target.sources[0].doc_id)}`)).body;
      const bytes = Buffer.from(doc.text, 'utf8');
      const shown = await page.$$eval('#doc-text mark.hl', (ms) => ms.map((m) => ({ kind: m.dataset.kind, id: m.dataset.id, start: +m.dataset.start, end: +m.dataset.end, text: m.textContent })));
      const whole = new Map();
      for (const m of shown) {
        const k = `${m.kind}|${m.id}|${m.start}`;
        whole.set(k, { ...m, text: (whole.get(k) ? whole.get(k).text : '') + m.text });
      }
      const wrong = [...whole.values()].filter((m) => m.text !== bytes.subarray(m.start, m.end).toString('utf8'));
      check(whole.size > 0 && wrong.length === 0, `every highlight's text is its byte span (${whole.size} items, ${wrong.length} wrong${wrong.length ? `: ${JSON.stringify(wrong[0])}` : ''})`);
      await shot(page, 'document');
    }

    // --- A document whose text is non-ASCII heavy: offsets still right ---
    const docs = (await api(page, '/api/documents?limit=1000')).body.items;
    for (const d of docs.filter((x) => x.name !== 'hostile.txt')) {
      await go(page, `#/doc/${encodeURIComponent(d.id)}`, 'doc');
      const full = (await api(page, `/api/documents/${encodeURIComponent(d.id)}`)).body;
      const b = Buffer.from(full.text, 'utf8');
      const marks = await page.$$eval('#doc-text mark.hl', (ms) => ms.map((m) => ({ k: `${m.dataset.kind}|${m.dataset.id}|${m.dataset.start}`, start: +m.dataset.start, end: +m.dataset.end, text: m.textContent })));
      const joined = new Map();
      for (const m of marks) joined.set(m.k, { ...m, text: (joined.get(m.k) ? joined.get(m.k).text : '') + m.text });
      const bad = [...joined.values()].filter((m) => m.text !== b.subarray(m.start, m.end).toString('utf8'));
      const plain = await page.$eval('#doc-text', (el) => el.textContent);
      check(bad.length === 0 && plain === full.text, `${d.name}: the text is shown whole and every highlight matches its bytes (${joined.size})`);
    }

    // --- The hostile document ---
    const hostile = docs.find((d) => d.name === 'hostile.txt');
    check(!!hostile, 'the hostile document is stored');
    if (hostile) {
      await go(page, `#/doc/${encodeURIComponent(hostile.id)}`, 'doc');
      await page.waitForTimeout(500);
      const text = await page.$eval('#doc-text', (el) => el.textContent);
      check(text.includes('<script>') && text.includes('onerror='), 'the hostile markup is shown as text');
      await noScriptRan(page, 'hostile document');
      // Its events, through the event page and the timeline.
      const hostileEvents = events.filter((e) => e.sources.some((s) => s.doc === 'hostile.txt'));
      if (hostileEvents.length) {
        await go(page, `#/event/${encodeURIComponent(hostileEvents[0].id)}`, 'event');
        await page.waitForTimeout(300);
        await noScriptRan(page, 'hostile event page');
      }
      await page.fill('#search-input', 'pwned');
      await page.press('#search-input', 'Enter');
      await ready(page, 'search');
      await page.waitForTimeout(300);
      await noScriptRan(page, 'search results over the hostile document');
    }

    // --- Search ---
    await page.fill('#search-input', 'kilic moscow');
    await page.press('#search-input', 'Enter');
    await ready(page, 'search');
    const hits = await page.locator('#search-results li').count();
    const marked = await page.$$eval('#search-results mark', (ms) => ms.map((m) => m.textContent));
    check(hits > 0 && marked.length > 0, `search finds and highlights (${hits} results; marks: ${marked.slice(0, 4).join(', ')})`);
    check(marked.some((m) => /kılıç|kilic/i.test(m)), 'a highlight covers the folded word (Kılıç for kilic)');
    await shot(page, 'search');

    // --- Condition graph and scenario ---
    const graph = await api(page, '/api/graph');
    await go(page, '#/conditions', 'conditions');
    if (missingRoute(graph)) {
      notes.push('GET /api/graph is not available on this server');
      const msg = await page.locator('.msg').first().textContent();
      check(/not available/.test(msg), 'the conditions view says the graph is not available');
    } else {
      check(graph.status === 200, `GET /api/graph answers (${graph.status})`);
      await page.waitForSelector('#scenario-result', { timeout: 15000 }).catch(() => {});
      const canvas = await page.locator('#cy canvas').count();
      check(canvas > 0, 'the condition graph is drawn');
      const goals = await page.$$eval('#goal-select option', (os) => os.map((o) => o.value).filter(Boolean));
      const preferred = goals.find((g) => /implemented|open/.test(g)) || goals[goals.length - 1];
      if (preferred) {
        await page.selectOption('#goal-select', preferred);
        await page.waitForFunction((g) => {
          const v = document.getElementById('goal-verdict');
          return v && v.textContent.includes(g);
        }, preferred, { timeout: 15000 }).catch(() => {});
      }
      const before = norm(await page.locator('#scenario-result').textContent());
      check(before.length > 0, 'the scenario result is shown');
      // Assume the first requirement on the path (or any outcome) and see the result change.
      const path = await page.locator('#goal-path').textContent().catch(() => '');
      const firstStep = norm(path).split(' → ')[0];
      const box = firstStep ? page.locator(`#assume-list input[data-outcome="${firstStep}"]`) : page.locator('#assume-list input').first();
      const useBox = (await box.count()) ? box.first() : page.locator('#assume-list input').first();
      await useBox.check();
      await page.waitForFunction((b) => {
        const r = document.getElementById('scenario-result');
        return r && r.textContent.replace(/\s+/g, ' ').trim() !== b;
      }, before, { timeout: 15000 }).catch(() => {});
      const after = norm(await page.locator('#scenario-result').textContent());
      check(after !== before, 'assuming an outcome changes the scenario result');
      await shot(page, 'conditions');
    }

    // --- Review: refused without the token, saved and kept with it ---
    if (target) {
      const reviews = await api(page, `/api/reviews?target=${encodeURIComponent(target.id)}`);
      await go(page, `#/event/${encodeURIComponent(target.id)}`, 'event');
      if (missingRoute(reviews)) {
        notes.push('GET /api/reviews is not available on this server');
        await page.fill('#edit-place', 'Tbilisi');
        await page.click('#review-edit');
        await page.waitForFunction(() => document.getElementById('review-result').textContent.length > 0, null, { timeout: 10000 });
        const said = await page.locator('#review-result').textContent();
        check(/not available|Bearer|token/.test(said), `the review form says why nothing was saved (${norm(said).slice(0, 80)})`);
      } else {
        await page.fill('#review-reviewer', 'e2e tester');
        await page.fill('#edit-place', 'Tbilisi');
        await page.click('#review-edit');
        await page.waitForFunction(() => /Bearer|token/i.test(document.getElementById('review-result').textContent), null, { timeout: 10000 }).catch(() => {});
        const refused = await page.locator('#review-result').textContent();
        check(/Bearer|token/i.test(refused) && /refuse|need|401/i.test(refused), `without the token the edit is refused (${norm(refused).slice(0, 100)})`);
        const still = (await api(page, `/api/reviews?target=${encodeURIComponent(target.id)}`)).body;
        check(((still && still.items) || []).length === 0, 'nothing was recorded without the token');
        // The token, through the header form.
        await page.click('#token-summary');
        await page.fill('#token-input', token);
        await page.fill('#reviewer-input', 'e2e tester');
        await page.click('#token-form button[type=submit]');
        await page.fill('#review-reviewer', 'e2e tester');
        await page.fill('#edit-place', 'Tbilisi');
        await page.click('#review-edit');
        await page.waitForSelector('#review-saved', { timeout: 10000 }).catch(() => {});
        const saved = await page.locator('#review-saved').count();
        const err = saved ? '' : await page.locator('#review-result').textContent().catch(() => '');
        check(saved > 0, `with the token the edit is saved${err ? ` (${norm(err)})` : ''}`);
        await page.reload();
        await ready(page, 'event');
        const reviewState = norm(await page.locator('#event-review').textContent());
        const place = norm(await page.locator('dl.facts').first().textContent());
        const audit = await page.$$eval('#audit tbody tr', (rs) => rs.map((r) => r.textContent));
        check(/edited/.test(reviewState), `after a reload the event shows its review state (${reviewState})`);
        check(place.includes('Tbilisi'), 'after a reload the edited place is shown');
        check(audit.some((r) => /edit/.test(r) && /e2e tester/.test(r) && /Tbilisi/.test(r)), `the audit trail lists the edit, who and the new value (${audit.length} rows)`);
        await shot(page, 'review');

        // A rejected event leaves the timeline, and comes back greyed with "rejected and merged too".
        const other = events.find((e) => e.id !== target.id && e.precision === 'day' && !e.sources.some((x) => x.doc === 'hostile.txt'));
        if (other) {
          await go(page, `#/event/${encodeURIComponent(other.id)}`, 'event');
          await page.click('#review-reject');
          await page.waitForSelector('#review-saved', { timeout: 10000 }).catch(() => {});
          check(/rejected/.test(await page.locator('#event-review').textContent()), 'an event can be rejected');
          await go(page, '#/timeline', 'timeline');
          await page.click('#timeline-fit');
          await page.waitForTimeout(500);
          check((await page.locator(`.tl-item[data-event="${other.id}"]`).count()) === 0, 'the rejected event is not on the timeline');
          await page.check('#f-rejected');
          await ready(page, 'timeline');
          await page.click('#timeline-fit');
          await page.waitForTimeout(500);
          check((await page.locator(`.vis-item.review-rejected .tl-item[data-event="${other.id}"]`).count()) === 1, 'with "rejected too" it is back, marked rejected');
        }

        // A condition statement accepted, kept after a reload.
        await go(page, '#/conditions', 'conditions');
        await page.waitForSelector('#statements li', { timeout: 15000 }).catch(() => {});
        const first = page.locator('#statements li').first();
        const cid = await first.getAttribute('data-condition').catch(() => null);
        check(!!cid, 'the conditions view lists the extracted statements');
        if (cid) {
          await first.locator('.inline-review button', { hasText: 'Accept' }).click();
          const sel = `#statements li[data-condition="${cid}"] .condition-review`;
          await page.waitForFunction((s) => {
            const el = document.querySelector(s);
            return el && el.textContent === 'accepted';
          }, sel, { timeout: 10000 }).catch(() => {});
          await page.reload();
          await ready(page, 'conditions');
          await page.waitForSelector(sel, { timeout: 15000 }).catch(() => {});
          const kept = await page.locator(sel).textContent().catch(() => '');
          check(kept === 'accepted', `accepting a condition is kept after a reload (${kept})`);
        }
      }
    }

    // --- Map ---
    await go(page, '#/map', 'map');
    await page.waitForSelector('svg#map path.country', { timeout: 15000 }).catch(() => {});
    const countries = await page.locator('svg#map path.country').count();
    const markers = await page.locator('svg#map .marker').count();
    check(countries > 20, `the map draws country borders (${countries})`);
    check(markers > 0, `the map marks the places with events (${markers})`);
    const crossings = await page.locator('svg#map .crossing').count();
    notes.push(`map: ${markers} place markers, ${crossings} border crossings`);
    // A marker inside the default frame (the South Caucasus).
    const inside = await page.$$eval('svg#map .marker', (ms) => ms.findIndex((m) => {
      const x = +m.getAttribute('cx');
      const y = +m.getAttribute('cy');
      return x > 0 && x < 960 && y > 0 && y < 600;
    }));
    check(inside >= 0, 'the default frame shows a place with events');
    if (inside >= 0) {
      await page.locator('svg#map .marker').nth(inside).click();
      await page.waitForSelector('#map-panel li', { timeout: 10000 }).catch(() => {});
      check((await page.locator('#map-panel li').count()) > 0, 'clicking a marker lists its events');
    }
    // The wheel zooms (the view box shrinks).
    const before = await page.getAttribute('svg#map', 'viewBox');
    await page.hover('svg#map');
    await page.mouse.wheel(0, -300);
    await page.waitForTimeout(200);
    const after = await page.getAttribute('svg#map', 'viewBox');
    check(Number(after.split(' ')[2]) < Number(before.split(' ')[2]), `the map zooms with the wheel (${before} → ${after})`);
    await page.click('#map-region');
    await shot(page, 'map');

    // --- Issue board ---
    const board = await api(page, '/api/issues');
    await go(page, '#/issues', 'issues');
    if (missingRoute(board)) {
      notes.push('GET /api/issues is not available on this server');
      check(/not available/.test(await page.locator('.msg').first().textContent()), 'the board says issues are not available');
      await shot(page, 'issues');
    } else if (board.status !== 200) {
      notes.push(`GET /api/issues: ${board.status} ${JSON.stringify(board.body)}`);
      check((await page.locator('.msg').count()) > 0, 'the board shows why there are no issues');
      await shot(page, 'issues');
    } else {
      const cards = await page.locator('.card').count();
      check(cards === board.body.items.length && cards > 0, `the board has one card per issue (${cards})`);
      await shot(page, 'issues');
      const withHistory = board.body.items.find((i) => i.status) || board.body.items[0];
      await page.locator(`.card[data-issue="${withHistory.issue}"]`).click();
      await ready(page, 'issue');
      const status = norm(await page.locator('#issue-status').textContent());
      check(status === (withHistory.status || 'no status yet'), `the issue page shows its status (${status})`);
      if (withHistory.status) check((await page.locator('#issue-history li').count()) > 0, 'the issue page lists its status history');
      await shot(page, 'issue');
    }

    check(dialogs.length === 0, `no dialog was opened (${dialogs.join(' | ')})`);
    check(foreign.length === 0, `nothing was requested from another origin (${foreign.slice(0, 3).join(', ')})`);
    check(problems.length === 0, `no script error or CSP violation (${problems.slice(0, 5).join(' | ')})`);
  } finally {
    await browser.close().catch(() => {});
  }
}

main()
  .catch((e) => {
    failures.push(`the run stopped: ${e && e.stack ? e.stack : e}`);
  })
  .finally(() => {
    for (const n of notes) console.log(`note: ${n}`);
    console.log(`ui checks: ${passed} ok, ${failures.length} failed`);
    if (failures.length) {
      for (const f of failures) console.log(`  failed: ${f}`);
      process.exitCode = 1;
    }
  });
