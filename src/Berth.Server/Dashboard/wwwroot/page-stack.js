// A stack's pipeline: each environment (release, state, pending approval with approve / reject), its history, its releases.
import { api, enc, session } from './api.js';
import { badge, esc, html, raw, when } from './format.js';
import { debounce, openLive } from './live.js';
import { act, bindActions, empty } from './ui.js';

function environmentCard(stack, e, releases, history) {
  const info = session.info;
  // Releases this environment ran before (a rollback target), newest last.
  const ran = new Set(history.filter(d => d.environment === e.environment && d.state === 'succeeded').map(d => d.release));
  const earlier = releases.filter(r => ran.has(r.number) && r.number !== e.release);
  return html`<section class="card env-card" aria-labelledby="env-${e.environment}" data-env="${e.environment}">
    <h2 id="env-${e.environment}">${e.environment}</h2>
    <dl class="facts">
      <div><dt>Release</dt><dd>${e.release ?? '—'}</dd></div>
      <div><dt>State</dt><dd>${badge(e.state)}</dd></div>
      <div><dt>Target</dt><dd>${e.target}</dd></div>
      <div><dt>Entry</dt><dd>${e.entry}</dd></div>
      <div><dt>Since</dt><dd>${when(e.since)}</dd></div>
    </dl>
    ${e.reason ? raw(html`<p class="reason">${e.reason}</p>`) : ''}
    ${e.pendingRelease != null ? raw(html`<div class="pending-box"><p><strong>Release ${e.pendingRelease}</strong> waits for approval to enter ${e.environment}.</p>
      ${info.canApprove ? raw(html`<div class="actions" role="group" aria-label="Approval of release ${e.pendingRelease} for ${e.environment}">
        <button type="button" data-action="approve" data-env="${e.environment}" data-release="${e.pendingRelease}">Approve release ${e.pendingRelease}</button>
        <button type="button" class="danger" data-action="reject" data-env="${e.environment}" data-release="${e.pendingRelease}">Reject</button></div>`) : raw('<p class="small muted">An approver or admin approves it.</p>')}</div>`) : ''}
    ${info.canDeploy && earlier.length ? raw(html`<div class="actions"><span class="inline-form"><label for="rb-${e.environment}">Roll ${e.environment} back to</label>
      <select id="rb-${e.environment}">${earlier.slice().reverse().map(r => raw(html`<option value="${r.number}">release ${r.number}${r.version ? ` (${r.version})` : ''}</option>`))}</select>
      <button type="button" class="danger" data-action="env-rollback" data-env="${e.environment}">Roll back</button></span></div>`) : ''}
  </section>`;
}

function historyTable(history) {
  if (!history.length) return empty('No passage yet.');
  return html`<div class="table-wrap"><table><thead><tr><th scope="col">When</th><th scope="col">Environment</th><th scope="col">Release</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">By</th><th scope="col">Comment / reason</th><th scope="col">Gates</th></tr></thead>
    <tbody>${history.slice().reverse().map(d => raw(html`<tr><td>${when(d.createdAt)}</td><td>${d.environment}</td><td>${d.release}${d.version ? ` (${d.version})` : ''}</td><td>${d.kind}</td><td>${badge(d.state)}</td><td>${d.actor ?? '—'}</td><td>${d.comment ?? d.reason ?? ''}</td>
      <td>${d.gates.map(g => raw(html`<span class="badge ${g.passed ? 'good' : 'bad'}" title="${g.message}">${g.gate}</span> `))}</td></tr>`))}</tbody></table></div>`;
}

export async function render(main, [stack]) {
  main.innerHTML = html`<div class="page-head"><h1>${stack}</h1><span class="live-dot" id="live"></span></div>
    <div id="envs" class="grid"></div>
    <section aria-labelledby="h-history"><h2 id="h-history">History</h2><div id="history"></div></section>
    <section aria-labelledby="h-releases"><h2 id="h-releases">Releases</h2><div id="releases"></div></section>`;
  const $ = id => main.querySelector('#' + id);
  const path = `/stacks/${enc(stack)}`;
  const refresh = async () => {
    const [envs, history, releases] = await Promise.all([api.get(`${path}/environments`), api.get(`${path}/history`), api.get(`${path}/releases`)]);
    const focused = document.activeElement?.dataset?.action;
    $('envs').innerHTML = envs.map(e => environmentCard(stack, e, releases, history)).join('');
    $('history').innerHTML = historyTable(history);
    $('releases').innerHTML = releases.length ? html`<ul class="plain">${releases.slice().reverse().map(r => raw(html`<li><strong>release ${r.number}</strong>${r.version ? ` ${r.version}` : ''} · ${when(r.createdAt)} · by ${r.createdBy ?? '—'} · in ${r.environments.join(', ') || 'no environment yet'}${r.message ? ` · ${r.message}` : ''}</li>`))}</ul>` : empty('No release.');
    if (focused) main.querySelector(`[data-action="${focused}"]`)?.focus();
  };
  bindActions(main, {
    approve: b => act({ confirm: { title: `Approve release ${b.dataset.release} for ${b.dataset.env}?`, text: `Release ${b.dataset.release} of ${stack} enters ${b.dataset.env} now.`, okLabel: 'Approve', comment: true },
      run: comment => api.post(`${path}/environments/${enc(b.dataset.env)}/approve`, { release: Number(b.dataset.release), comment: comment || null }), done: `Release ${b.dataset.release} approved for ${b.dataset.env}`, refresh }),
    reject: b => act({ confirm: { title: `Reject release ${b.dataset.release} for ${b.dataset.env}?`, text: `Release ${b.dataset.release} will not enter ${b.dataset.env}.`, okLabel: 'Reject', comment: true, danger: true },
      run: comment => api.post(`${path}/environments/${enc(b.dataset.env)}/reject`, { release: Number(b.dataset.release), comment: comment || null }), done: `Release ${b.dataset.release} rejected for ${b.dataset.env}`, refresh }),
    'env-rollback': b => { const to = Number(main.querySelector(`#rb-${CSS.escape(b.dataset.env)}`).value); return act({ confirm: { title: `Roll ${b.dataset.env} back to release ${to}?`, text: `${b.dataset.env} runs release ${to} of ${stack} again.`, okLabel: 'Roll back', danger: true },
      run: () => api.post(`${path}/environments/${enc(b.dataset.env)}/rollback`, { toRelease: to }), done: `${b.dataset.env}: rolling back to release ${to}`, refresh }); },
  });
  await refresh();
  return openLive(null, { onEvent: debounce(refresh, 500), indicator: $('live') });
}
