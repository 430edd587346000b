// A service: its state, the traffic split, per-release KPIs as live charts with the analysis thresholds, the
// rollout's steps and decisions, its replicas and events, and the actions the signed-in role may take.
import { api, enc, session } from './api.js';
import { badge, count, esc, html, ms, percent, raw, rate, when } from './format.js';
import { lineChart } from './chart.js';
import { debounce, openLive } from './live.js';
import { act, bindActions, empty } from './ui.js';

const SPAN_MS = 5 * 60 * 1000;
const MAX_POINTS = 400;

/** KPI points per release, from the rollout report's samples and then from every pulse. */
class History {
  constructor() { this.releases = new Map(); }
  series(release) {
    if (!this.releases.has(release)) this.releases.set(release, { rate: [], errors: [], p95: [], p99: [] });
    return this.releases.get(release);
  }
  add(release, at, k) {
    const s = this.series(release);
    const push = (list, v) => { list.push([at, v]); if (list.length > MAX_POINTS) list.shift(); };
    push(s.rate, k.rps);
    if (k.requests > 0) { push(s.errors, k.errorRate); push(s.p95, k.p95Ms); push(s.p99, k.p99Ms); }
  }
}

function kpisOf(pool) {
  const k = pool.kpis;
  return { requests: k.requests, rps: k.windowSeconds > 0 ? k.requests / k.windowSeconds : 0, errorRate: k.errorRate, p95Ms: k.p95Ms, p99Ms: k.p99Ms };
}

function thresholdLines(report, metric, stableLast, unitFactor = 1) {
  return (report?.thresholds ?? []).filter(t => t.metric === metric).flatMap(t => [
    ...(t.max != null ? [{ value: t.max * unitFactor, label: `max ${metric === 'error_rate' ? percent(t.max) : ms(t.max)}` }] : []),
    ...(t.maxRatio != null && stableLast != null ? [{ value: stableLast * t.maxRatio, label: `${t.maxRatio}× stable` }] : []),
  ]);
}

function charts(state) {
  const route = state.pulse?.service.route;
  const releases = [];
  if (route) {
    releases.push({ release: route.stable.release, role: 'stable' });
    if (route.candidate) releases.push({ release: route.candidate.release, role: 'candidate' });
  } else if (state.pulse) {
    releases.push({ release: state.pulse.service.release, role: 'stable' });
  }
  const series = key => releases.map(r => ({ name: `release ${r.release} (${r.role})`, className: r.role, points: state.history.series(r.release)[key] }));
  const lastOf = (key, role) => { const r = releases.find(x => x.role === role); const p = r ? state.history.series(r.release)[key] : []; return p.length ? p[p.length - 1][1] : null; };
  return [
    lineChart({ id: 'rate', title: 'Requests per second', unit: rate, series: series('rate'), spanMs: SPAN_MS, minMax: 1 }),
    lineChart({ id: 'error-rate', title: 'Error rate', unit: v => percent(v), series: series('errors'), thresholds: thresholdLines(state.report, 'error_rate', lastOf('errors', 'stable')), spanMs: SPAN_MS, minMax: 0.01 }),
    lineChart({ id: 'p95', title: 'Latency p95', unit: ms, series: series('p95'), thresholds: thresholdLines(state.report, 'latency_p95', lastOf('p95', 'stable')), spanMs: SPAN_MS }),
    lineChart({ id: 'p99', title: 'Latency p99', unit: ms, series: series('p99'), thresholds: thresholdLines(state.report, 'latency_p99', lastOf('p99', 'stable')), spanMs: SPAN_MS }),
  ].join('');
}

function split(route) {
  if (!route) return empty('Not routed: the service publishes no port, or its route is not set yet.');
  const w = route.candidate ? route.candidateWeight : 0;
  return html`<div class="split" role="img" aria-label="Traffic split: ${100 - w} % to release ${route.stable.release}${route.candidate ? `, ${w} % to release ${route.candidate.release}` : ''}">
      <span class="stable" data-w="${100 - w}">release ${route.stable.release}: ${100 - w} %</span>${route.candidate && w > 0 ? raw(html`<span class="candidate" data-w="${w}">release ${route.candidate.release}: ${w} %</span>`) : ''}
    </div>
    <p class="small">Candidate weight <strong id="weight">${w} %</strong> · front doors ${route.frontDoors.join(', ')} · balancing ${route.balancing}${route.preview ? ` · preview ${route.preview}` : ''}</p>`;
}

function rolloutPanel(rollout) {
  if (!rollout) return empty('No rollout yet: the first deploy started its release directly.');
  const p = rollout.progress;
  const kpiRow = (label, k) => k ? raw(html`<tr><th scope="row">${label}</th><td>${count(k.requests)}</td><td>${percent(k.errorRate)}</td><td>${ms(k.p95Ms)}</td><td>${ms(k.p99Ms)}</td></tr>`) : '';
  return html`<dl class="facts">
      <div><dt>Strategy</dt><dd>${rollout.strategy}</dd></div>
      <div><dt>State</dt><dd id="rollout-state">${badge(rollout.state)}</dd></div>
      <div><dt>Release</dt><dd>${rollout.fromRelease ?? '—'} → ${rollout.toRelease}</dd></div>
      ${p ? raw(html`<div><dt>Step</dt><dd id="rollout-step">${p.step}/${p.steps}${p.stepDescription ? ` (${p.stepDescription})` : ''}</dd></div>
      <div><dt>Phase</dt><dd>${p.phase}</dd></div>
      <div><dt>Weight</dt><dd>${p.weight} %</dd></div>
      <div><dt>Candidate ready</dt><dd>${p.candidateReady}/${p.candidateReplicas}</dd></div>
      ${p.stepAnalysis ? raw(html`<div><dt>Step analysis</dt><dd>${p.stepAnalysis.measurements} measured, ${p.stepAnalysis.failed} failed, ${p.stepAnalysis.inconclusive} inconclusive</dd></div>`) : ''}
      ${p.backgroundAnalysis ? raw(html`<div><dt>Background analysis</dt><dd>${p.backgroundAnalysis.measurements} measured, ${p.backgroundAnalysis.failed} failed</dd></div>`) : ''}
      ${p.scaleDownAt ? raw(html`<div><dt>Old release scaled down</dt><dd>${when(p.scaleDownAt)}</dd></div>`) : ''}`)
      : raw(html`<div><dt>Updated</dt><dd>${rollout.updated}/${rollout.total}</dd></div>`)}
      <div><dt>Started</dt><dd>${when(rollout.startedAt)}</dd></div>
    </dl>
    ${rollout.reason ? raw(html`<p class="reason">${rollout.reason}</p>`) : ''}
    ${p && (p.stable || p.candidate) ? raw(html`<div class="table-wrap"><table class="compact"><caption>Last analysis window</caption>
      <thead><tr><th scope="col">Release</th><th scope="col">Requests</th><th scope="col">Errors</th><th scope="col">p95</th><th scope="col">p99</th></tr></thead>
      <tbody>${kpiRow(`${rollout.fromRelease} (stable)`, p.stable)}${kpiRow(`${rollout.toRelease} (candidate)`, p.candidate)}</tbody></table></div>`) : ''}`;
}

function timeline(report) {
  if (!report?.timeline.length) return empty('No decisions recorded for this rollout yet.');
  return html`<ol class="timeline">${report.timeline.map(d => raw(html`<li>
    <span class="small">${when(d.at)}</span> ${d.step ? `step ${d.step} · ` : ''}<strong>${d.kind}</strong> ${d.message}
    ${Object.keys(d.data).length ? raw(html`<span class="data">${Object.entries(d.data).map(([k, v]) => `${k}=${v}`).join(' · ')}</span>`) : ''}</li>`))}</ol>`;
}

function replicasTable(replicas) {
  if (!replicas.length) return empty('No replicas.');
  return html`<div class="table-wrap"><table><thead><tr><th scope="col">Replica</th><th scope="col">Slot</th><th scope="col">Release</th><th scope="col">State</th><th scope="col">Health</th><th scope="col">Endpoint</th><th scope="col">Restarts</th><th scope="col">Created</th></tr></thead>
    <tbody>${replicas.map(r => raw(html`<tr><th scope="row"><code>${r.id}</code></th><td>${r.slot}</td><td>${r.release}</td><td>${badge(r.state)}</td><td>${badge(r.health)}</td><td>${r.endpoint ?? '—'}</td><td>${r.restarts}</td><td>${when(r.createdAt)}</td></tr>`))}</tbody></table></div>`;
}

function actions(state) {
  const info = session.info;
  if (!info.canDeploy) return '';
  const r = state.pulse?.rollout;
  const progressive = r && r.strategy !== 'rolling';
  const buttons = [];
  if (r?.active) {
    if (progressive) buttons.push('<button type="button" data-action="promote">Promote</button>', '<button type="button" data-action="promote-full">Promote fully</button>');
    buttons.push(r.state === 'paused' ? '<button type="button" data-action="resume">Resume</button>' : '<button type="button" data-action="pause">Pause</button>');
    buttons.push('<button type="button" class="danger" data-action="abort">Abort</button>');
  } else if (progressive && r.state === 'aborted') {
    buttons.push('<button type="button" data-action="retry">Retry the rollout</button>');
  }
  const current = state.pulse?.service.release;
  const earlier = state.releases.filter(x => x.number !== current);
  return html`<div class="actions" role="group" aria-label="Actions">
    ${raw(buttons.join(''))}
    <span class="inline-form"><label for="rollback-to">Roll back to</label>
      <select id="rollback-to">${earlier.slice().reverse().map(x => raw(html`<option value="${x.number}">release ${x.number} (${x.state})</option>`))}</select>
      <button type="button" class="danger" data-action="rollback" ${earlier.length ? '' : 'disabled'}>Roll back</button></span>
    <span class="inline-form"><label for="scale-to">Replicas</label>
      <input id="scale-to" type="number" min="0" max="1000" value="${state.pulse?.service.desiredReplicas ?? 1}">
      <button type="button" data-action="scale">Scale</button></span>
  </div>`;
}

export async function render(main, [name]) {
  const state = { history: new History(), report: null, pulse: null, releases: [], actionsKey: null };
  main.innerHTML = html`<div class="page-head"><h1>${name}</h1><span class="live-dot" id="live"></span></div>
    <p id="summary"></p>
    <div id="actions"></div>
    <section aria-labelledby="h-split"><h2 id="h-split">Traffic</h2><div id="split"></div></section>
    <section aria-labelledby="h-kpis"><h2 id="h-kpis">Per release</h2><div id="charts" class="charts"></div></section>
    <section aria-labelledby="h-rollout"><h2 id="h-rollout">Rollout</h2><div id="rollout"></div><h3>Timeline</h3><div id="timeline"></div></section>
    <section aria-labelledby="h-replicas"><h2 id="h-replicas">Replicas</h2><div id="replicas"></div></section>
    <section aria-labelledby="h-events"><h2 id="h-events">Events</h2><ol id="events" class="events"></ol></section>`;
  const $ = id => main.querySelector('#' + id);
  const path = `/services/${enc(name)}`;

  const loadReport = async () => {
    try { state.report = await api.get(`${path}/rollout/report`); } catch (e) { if (e.status !== 404) throw e; state.report = null; }
    for (const s of state.report?.samples ?? []) state.history.add(s.release, new Date(s.at).getTime(), { requests: s.requests, rps: s.requestsPerSecond, errorRate: s.errorRate, p95Ms: s.p95Ms, p99Ms: s.p99Ms });
    $('timeline').innerHTML = timeline(state.report);
  };
  const loadSlow = async () => {
    const [replicas, releases, events] = await Promise.all([
      api.get(`/replicas?service=${enc(name)}`), api.get(`${path}/releases`), api.get(`/events?service=${enc(name)}`)]);
    state.releases = releases;
    $('replicas').innerHTML = replicasTable(replicas);
    $('events').innerHTML = events.slice(-30).reverse().map(eventItem).join('');
    state.actionsKey = null;
    drawActions();
  };
  const drawActions = () => {
    const r = state.pulse?.rollout;
    const key = [r?.id, r?.state, state.releases.map(x => x.number + x.state).join(), state.pulse?.service.release].join('|');
    if (key !== state.actionsKey) { state.actionsKey = key; $('actions').innerHTML = actions(state); }
  };
  const onPulse = pulse => {
    const previousRollout = state.pulse?.rollout;
    state.pulse = pulse;
    const s = pulse.service, at = new Date(pulse.at).getTime();
    if (s.route) {
      state.history.add(s.route.stable.release, at, kpisOf(s.route.stable));
      if (s.route.candidate) state.history.add(s.route.candidate.release, at, kpisOf(s.route.candidate));
    }
    $('summary').innerHTML = html`Stack <a href="#/stack/${enc(s.stack)}">${s.stack}</a> · release <strong id="release">${s.release}</strong> · ${s.healthyReplicas}/${s.desiredReplicas} healthy · ${badge(s.status)} ${s.statusReason ?? ''} · <code>${s.artifact}</code>`;
    $('split').innerHTML = split(s.route);
    for (const bar of $('split').querySelectorAll('[data-w]')) bar.style.setProperty('--w', bar.dataset.w); // no inline style: the page's CSP forbids it
    $('charts').innerHTML = charts(state);
    $('rollout').innerHTML = rolloutPanel(pulse.rollout);
    drawActions();
    const r = pulse.rollout;
    if (r && (!previousRollout || previousRollout.id !== r.id || previousRollout.state !== r.state || previousRollout.progress?.step !== r.progress?.step)) loadReport();
  };

  const rollback = () => Number(main.querySelector('#rollback-to')?.value);
  const refresh = async () => { await Promise.all([loadSlow(), loadReport()]); };
  bindActions(main, {
    promote: () => act({ confirm: { title: `Promote ${name}?`, text: `Release ${state.pulse?.rollout?.toRelease} moves on to its next step (or takes all the traffic when it is the last).`, okLabel: 'Promote' }, run: () => api.post(`${path}/promote`, { full: false }), done: r => `${name}: promoted (${r.state})`, refresh }),
    'promote-full': () => act({ confirm: { title: `Promote ${name} fully?`, text: `Release ${state.pulse?.rollout?.toRelease} takes all the traffic now, skipping the remaining steps and analysis.`, okLabel: 'Promote fully', danger: true }, run: () => api.post(`${path}/promote`, { full: true }), done: r => `${name}: promoted fully (${r.state})`, refresh }),
    pause: () => act({ confirm: { title: `Pause the rollout of ${name}?`, text: 'The rollout stays where it is until resumed.', okLabel: 'Pause' }, run: () => api.post(`${path}/rollout/pause`), done: `${name}: rollout paused`, refresh }),
    resume: () => act({ confirm: { title: `Resume the rollout of ${name}?`, text: 'The rollout goes on from where it stopped.', okLabel: 'Resume' }, run: () => api.post(`${path}/rollout/resume`), done: `${name}: rollout resumed`, refresh }),
    retry: () => act({ confirm: { title: `Retry the rollout of ${name}?`, text: 'The aborted rollout starts again from its first step.', okLabel: 'Retry' }, run: () => api.post(`${path}/rollout/retry`), done: `${name}: rollout restarted`, refresh }),
    abort: () => act({ confirm: { title: `Abort the rollout of ${name}?`, text: `All traffic goes back to release ${state.pulse?.rollout?.fromRelease ?? 'the previous release'}; the new release stops.`, okLabel: 'Abort', danger: true }, run: () => api.post(`${path}/abort`), done: r => `${name}: rollout aborted (${r.state}); traffic on release ${r.fromRelease ?? '?'}`, refresh }),
    rollback: () => act({ confirm: { title: `Roll ${name} back?`, text: `${name} runs release ${rollback()} again (release ${state.pulse?.service.release} now).`, okLabel: 'Roll back', danger: true }, run: () => api.post(`${path}/rollback`, { toRelease: rollback() }), done: r => `${name}: rolling back to release ${r.toRelease} (${r.state})`, refresh }),
    scale: () => { const n = Number(main.querySelector('#scale-to').value); return act({ confirm: { title: `Scale ${name}?`, text: `${name} runs ${n} replica${n === 1 ? '' : 's'} (${state.pulse?.service.desiredReplicas} now).`, okLabel: 'Scale' }, run: () => api.post('/services/scale', { replicas: { [name]: n } }), done: `${name}: scaled to ${n}`, refresh }); },
  });

  onPulse({ service: await api.get(path), rollout: await api.get(`${path}/rollout`).catch(e => { if (e.status === 404) return null; throw e; }), at: new Date().toISOString() });
  await refresh();
  const slowly = debounce(loadSlow, 500);
  return openLive(name, {
    onPulse,
    onEvent: e => { $('events').insertAdjacentHTML('afterbegin', eventItem(e)); slowly(); },
    onGone: e => { $('summary').innerHTML = html`<span class="error">${e.error}</span>`; },
    indicator: $('live'),
  });
}

function eventItem(e) {
  return html`<li><span class="small">${when(e.time)}</span> <code>${e.kind}</code> ${e.message}</li>`;
}
