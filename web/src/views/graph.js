// The condition graph: nodes are outcomes (ISSUE=STATE), an edge goes from a requirement to the
// goal that needs it, with its sources. Choose a goal, assume outcomes, set condition
// probabilities: the scenario (what is unblocked, what still blocks and what each misses, the
// shortest remaining path, the goal's probability and what it is most sensitive to) follows.
// Extracted condition statements can be accepted or rejected.

import { forget, get, missing, post, reviewer } from '../lib/api.js';
import { clear, enc, h, link, message } from '../lib/dom.js';

function outcomeText(o) {
  if (typeof o === 'string') return o;
  if (o && o.issue) return `${o.issue}=${o.state}`;
  return JSON.stringify(o);
}

function sourceItem(src, onReview) {
  const kind = src.kind || 'source';
  const parts = [h('span', { class: 'badge' }, kind)];
  if (kind === 'citation') {
    parts.push(` case condition ${src.condition}: `, link(`#/doc/${enc(src.doc)}`, src.doc));
    if (src.note) parts.push(` — ${src.note}`);
    if (src.asserted_by) parts.push(` (${src.asserted_by})`);
  } else if (kind === 'analyst') {
    parts.push(` case condition ${src.condition}, the analyst's judgement`);
    if (src.note) parts.push(`: ${src.note}`);
  } else if (kind === 'statement') {
    parts.push(' ');
    if (src.doc) parts.push(link(`#/doc/${enc(src.doc)}`, src.doc), ': ');
    parts.push(`“${src.what}” requires “${src.requires}”`);
    if (src.asserted_by) parts.push(` (${src.asserted_by})`);
    if (src.evidence) parts.push(h('blockquote', { class: 'quote' }, src.evidence));
    if (onReview) parts.push(conditionReview(src.statement, onReview));
  } else {
    parts.push(` ${JSON.stringify(src)}`);
  }
  return h('li', null, parts);
}

function conditionReview(id, done) {
  const out = h('span', { class: 'review-result', role: 'status' });
  const send = async (action) => {
    out.textContent = '';
    try {
      await post('/api/review', { target: 'condition', id, action, reviewer: reviewer() || 'anonymous' });
      forget();
      out.textContent = ` ${action}ed`;
      if (done) done();
    } catch (e) {
      out.textContent = missing(e) ? ' reviews are not available on this server' : ` ${e.message}`;
    }
  };
  return h('span', { class: 'inline-review' },
    h('button', { type: 'button', on: { click: () => send('accept') } }, 'Accept'),
    h('button', { type: 'button', on: { click: () => send('reject') } }, 'Reject'),
    out);
}

function pct(p) {
  return Number.isFinite(p) ? `${(p * 100).toFixed(1)} %` : '—';
}

function scenarioView(sc) {
  const box = h('div', { id: 'scenario-result', class: 'scenario' });
  const goal = sc.goal;
  if (goal) {
    const g = outcomeText(goal.goal);
    let verdict;
    if (goal.satisfied) verdict = `${g} is reached (assumed or implied).`;
    else if (goal.unblocked) verdict = `${g} is unblocked: every condition on it is met.`;
    else verdict = `${g} is still blocked.`;
    box.appendChild(h('p', { class: 'goal-verdict', id: 'goal-verdict' }, verdict));
    if (goal.path && goal.path.length) {
      box.appendChild(h('p', null, `Shortest remaining path${goal.path_exact === false ? ' (approximate)' : ''}: `,
        h('span', { id: 'goal-path' }, goal.path.map(outcomeText).join(' → '))));
    } else if (goal.unreachable_because) {
      box.appendChild(h('p', null, `Unreachable: ${goal.unreachable_because}`));
    }
    const pr = goal.probability;
    if (pr) {
      box.appendChild(h('p', null, 'Probability of the goal: ', h('strong', { id: 'goal-probability' }, pct(pr.probability))));
      const sens = pr.sensitivity || [];
      if (sens.length) {
        box.appendChild(h('h3', null, 'Most sensitive to'));
        box.appendChild(h('ol', { class: 'sensitivity' }, sens.slice(0, 10).map((x) =>
          h('li', null, `${x.variable && x.variable.name} (${x.variable && x.variable.kind}): ${pct(x.if_false)} if false, ${pct(x.if_true)} if true`))));
      }
    } else if (goal.probability_error) {
      box.appendChild(message('note', `No probability: ${goal.probability_error}`));
    }
  }
  box.appendChild(h('h3', null, `Unblocked (${(sc.unblocked || []).length})`));
  box.appendChild(h('ul', { id: 'scenario-unblocked' }, (sc.unblocked || []).map((o) => h('li', null, outcomeText(o)))));
  box.appendChild(h('h3', null, `Still blocked (${(sc.blocked || []).length})`));
  box.appendChild(h('ul', { id: 'scenario-blocked' }, (sc.blocked || []).map((b) =>
    h('li', null, h('strong', null, outcomeText(b.outcome)), b.in_cycle ? ' (in a cycle)' : '', ' misses ',
      (b.unmet || []).map((u, i) => [i ? '; ' : '', `${(u.missing || []).map(outcomeText).join(' and ')} (condition ${u.condition})`])))));
  return box;
}

export async function render(root, route, ctx) {
  root.appendChild(h('h1', null, 'Conditions'));
  const goalParam = route.params.get('goal') || '';
  let g;
  try {
    g = await get('/api/graph', goalParam ? { goal: goalParam } : {});
  } catch (e) {
    root.appendChild(message(missing(e) ? 'note' : 'error', missing(e)
      ? 'The condition graph is not available on this server (no /api/graph); the extracted conditions are listed below.'
      : e.message));
    await statements(root);
    return null;
  }
  if (ctx.stale()) return null;
  const nodes = g.nodes || [];
  const edges = g.edges || [];
  const conditions = g.conditions || [];
  const state = { goal: goalParam, assume: new Set(), prob: new Map() };

  const goalSel = h('select', { id: 'goal-select', 'aria-label': 'Goal' },
    h('option', { value: '' }, '(no goal)'),
    nodes.map((n) => h('option', { value: n.id }, n.label ? `${n.id} — ${n.label}` : n.id)));
  goalSel.value = state.goal;
  root.appendChild(h('div', { class: 'filters' }, h('label', null, 'Goal ', goalSel)));
  if ((g.cycles || []).length) {
    root.appendChild(message('note', `Cycles: ${g.cycles.map((c) => c.map(outcomeText).join(' → ')).join('; ')}`));
  }
  const graphBox = h('div', { id: 'cy', class: 'graph' });
  const side = h('aside', { class: 'graph-panel', id: 'graph-panel' }, message('note', 'Click an edge to see its sources, or a node to assume it.'));
  root.appendChild(h('div', { class: 'graph-layout' }, graphBox, side));

  const controls = h('section', { class: 'scenario-controls' });
  const result = h('section', { class: 'scenario-box' });
  root.appendChild(h('div', { class: 'scenario-layout' }, controls, result));

  controls.appendChild(h('h2', null, 'Assume'));
  const assumeBoxes = new Map();
  controls.appendChild(h('ul', { class: 'assume', id: 'assume-list' }, nodes.map((n) => {
    const box = h('input', { type: 'checkbox', value: n.id, dataset: { outcome: n.id } });
    assumeBoxes.set(n.id, box);
    box.addEventListener('change', () => {
      if (box.checked) state.assume.add(n.id);
      else state.assume.delete(n.id);
      paintAssumed();
      update();
    });
    return h('li', null, h('label', null, box, ` ${n.id}`));
  })));
  controls.appendChild(h('h2', null, 'Condition probabilities'));
  controls.appendChild(h('ul', { class: 'probs' }, conditions.map((c) => {
    const input = h('input', { type: 'number', min: 0, max: 1, step: 0.05, placeholder: c.probability === null || c.probability === undefined ? '1' : String(c.probability), dataset: { condition: c.id } });
    input.addEventListener('change', () => {
      const v = input.value.trim();
      const p = Number(v);
      if (v === '') state.prob.delete(c.id);
      else if (Number.isFinite(p) && p >= 0 && p <= 1) state.prob.set(c.id, p);
      else {
        input.setCustomValidity('between 0 and 1');
        input.reportValidity();
        return;
      }
      input.setCustomValidity('');
      update();
    });
    const goal = outcomeText(c.goal);
    const req = (c.alternatives || []).map((alt) => alt.map(outcomeText).join(' and ')).join(' or ');
    return h('li', null, h('label', null, `${c.id}: ${goal} ⇐ ${req} `, input));
  })));

  let cy = null;
  if (window.cytoscape) {
    cy = window.cytoscape({
      container: graphBox,
      elements: [
        ...nodes.map((n) => ({ data: { id: n.id, label: n.issue && n.state ? `${n.issue}\n${n.state}` : n.id } })),
        ...edges.map((e, i) => ({ data: { id: `e${i}`, source: outcomeText(e.from), target: outcomeText(e.to), index: i } })),
      ],
      layout: { name: 'breadthfirst', directed: true, spacingFactor: 1.25, padding: 20 },
      style: [
        { selector: 'node', style: { label: 'data(label)', 'font-size': 10, 'text-wrap': 'wrap', 'text-max-width': 150, 'text-valign': 'bottom', 'text-margin-y': 3, 'background-color': '#7a8fa6', width: 14, height: 14, color: '#222' } },
        { selector: 'node.assumed', style: { 'background-color': '#2e8b57' } },
        { selector: 'node.unblocked', style: { 'background-color': '#e0a800' } },
        { selector: 'node.goal', style: { 'border-width': 3, 'border-color': '#b22222' } },
        { selector: 'node.path', style: { 'background-color': '#b22222' } },
        { selector: 'edge', style: { width: 1.5, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': '#999', 'target-arrow-color': '#999' } },
        { selector: 'edge:selected', style: { 'line-color': '#b22222', 'target-arrow-color': '#b22222', width: 3 } },
      ],
      wheelSensitivity: 0.3,
    });
    const showEdge = (ev) => {
      const e = edges[ev.target.data('index')];
      if (!e) return;
      clear(side);
      side.appendChild(h('h2', null, `${outcomeText(e.from)} → ${outcomeText(e.to)}`));
      side.appendChild(h('p', null, `conditions: ${(e.conditions || [e.condition]).filter(Boolean).join(', ')}`));
      if (e.probability !== undefined && e.probability !== null) side.appendChild(h('p', null, `probability: ${e.probability}`));
      side.appendChild(h('ul', { class: 'sources' }, (e.sources || []).map((src) => sourceItem(src, null))));
    };
    cy.on('tap', 'edge', showEdge);
    cy.on('mouseover', 'edge', showEdge);
    cy.on('tap', 'node', (ev) => {
      const box = assumeBoxes.get(ev.target.id());
      if (box) {
        box.checked = !box.checked;
        box.dispatchEvent(new Event('change'));
      }
    });
  } else {
    graphBox.appendChild(message('error', 'The graph library is not available; the conditions are listed here.'));
  }

  function paintAssumed(sc) {
    if (!cy) return;
    cy.nodes().removeClass('assumed unblocked goal path');
    for (const id of state.assume) cy.getElementById(id).addClass('assumed');
    if (state.goal) cy.getElementById(state.goal).addClass('goal');
    if (sc) {
      for (const o of sc.unblocked || []) cy.getElementById(outcomeText(o)).addClass('unblocked');
      const path = sc.goal && sc.goal.path ? sc.goal.path : [];
      for (const o of path) cy.getElementById(outcomeText(o)).addClass('path');
    }
  }

  let asked = 0;
  async function update() {
    const mine = ++asked;
    const params = { assume: [...state.assume] };
    if (state.goal) params.goal = state.goal;
    params.prob = [...state.prob].map(([k, v]) => `${k}=${v}`);
    let sc;
    try {
      sc = await get('/api/scenario', params);
    } catch (e) {
      if (mine !== asked) return;
      clear(result);
      result.appendChild(h('h2', null, 'Scenario'));
      result.appendChild(message(missing(e) ? 'note' : 'error', missing(e) ? 'Scenarios are not available on this server.' : e.message));
      return;
    }
    if (mine !== asked || ctx.stale()) return;
    clear(result);
    result.appendChild(h('h2', null, 'Scenario'));
    result.appendChild(scenarioView(sc));
    paintAssumed(sc);
  }
  goalSel.addEventListener('change', () => {
    state.goal = goalSel.value;
    history.replaceState(null, '', `#/conditions${state.goal ? `?goal=${encodeURIComponent(state.goal)}` : ''}`);
    update();
  });
  paintAssumed();
  await update();
  await statements(root);
  return () => {
    if (cy) cy.destroy();
  };
}

/** The condition statements extracted from the documents, with accept/reject. */
async function statements(root) {
  const box = h('section', { class: 'statements' });
  root.appendChild(box);
  async function load() {
    clear(box);
    box.appendChild(h('h2', null, 'Conditions stated in the documents'));
    let list;
    try {
      list = await get('/api/conditions');
    } catch (e) {
      box.appendChild(message('error', e.message));
      return;
    }
    const items = list.items || [];
    if (!items.length) {
      box.appendChild(message('empty', 'No condition was extracted.'));
      return;
    }
    box.appendChild(h('ul', { class: 'sources', id: 'statements' }, items.map((c) => h('li', { dataset: { condition: c.id } },
      h('span', { class: 'badge condition-review' }, c.review || 'not reviewed'), ' ',
      link(`#/doc/${enc(c.doc_id)}`, c.doc), ': ', `“${c.what}” ${c.cue} “${c.requires}”`,
      c.asserted_by ? ` (${c.asserted_by})` : '',
      h('blockquote', { class: 'quote' }, c.text),
      conditionReview(c.id, load)))));
  }
  await load();
}
