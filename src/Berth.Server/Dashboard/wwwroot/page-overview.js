// The board: every pipeline's environments, then every stack's services, kept current by the live stream.
import { api, enc } from './api.js';
import { badge, esc, html, raw, when } from './format.js';
import { debounce, openLive } from './live.js';
import { empty } from './ui.js';

function environments(pipeline) {
  return html`<section class="card" aria-labelledby="pipe-${pipeline.stack}">
    <h3 id="pipe-${pipeline.stack}"><a href="#/stack/${enc(pipeline.stack)}">${pipeline.stack}</a></h3>
    <ol class="pipeline">${pipeline.environments.map(e => raw(html`<li class="env">
      <span class="env-name">${e.environment}</span>
      <span class="env-release">${e.release == null ? 'no release' : `release ${e.release}`}</span>
      ${badge(e.state)}
      ${e.pendingRelease != null ? raw(html`<a class="pending" href="#/stack/${enc(pipeline.stack)}">release ${e.pendingRelease} waits for approval</a>`) : ''}
      <span class="muted small">${e.since ? when(e.since) : ''}</span>
    </li>`))}</ol>
  </section>`;
}

function rolloutCell(rollout) {
  if (!rollout) return raw('<span class="muted">—</span>');
  const p = rollout.progress;
  const where = p ? `step ${p.step}/${p.steps}, ${p.weight} % to release ${rollout.toRelease}` : `${rollout.updated}/${rollout.total} on release ${rollout.toRelease}`;
  return raw(html`${badge(rollout.state)} <span class="small">${rollout.strategy}: ${where}</span>`);
}

function stackTable(stack) {
  return html`<section class="card" aria-labelledby="stack-${stack.name}">
    <h3 id="stack-${stack.name}">${stack.name}</h3>
    <div class="table-wrap"><table>
      <thead><tr><th scope="col">Service</th><th scope="col">Release</th><th scope="col">Ready</th><th scope="col">Status</th><th scope="col">Rollout</th></tr></thead>
      <tbody>${stack.services.map(({ service: s, rollout }) => raw(html`<tr>
        <th scope="row"><a href="#/service/${enc(s.name)}">${s.name}</a></th>
        <td>${s.release}</td>
        <td>${s.healthyReplicas}/${s.desiredReplicas}</td>
        <td>${badge(s.status)}${s.statusReason ? raw(html` <span class="small muted">${s.statusReason}</span>`) : ''}</td>
        <td>${rolloutCell(rollout)}</td></tr>`))}</tbody>
    </table></div>
  </section>`;
}

export async function render(main) {
  main.innerHTML = `<div class="page-head"><h1>Overview</h1><span class="live-dot" id="live" aria-live="off"></span></div><div id="board"></div>`;
  const board = main.querySelector('#board');
  const refresh = async () => {
    const data = await api.overview();
    const pending = data.pipelines.flatMap(p => p.environments.filter(e => e.pendingRelease != null).map(e => ({ ...e, pipeline: p.stack })));
    board.innerHTML = `
      ${pending.length ? html`<section class="card attention" aria-labelledby="approvals"><h2 id="approvals">Waiting for approval</h2><ul>${pending.map(p => raw(html`<li><a href="#/stack/${enc(p.pipeline)}">${p.pipeline}: release ${p.pendingRelease} → ${p.environment}</a></li>`))}</ul></section>` : ''}
      <h2>Environments</h2>
      ${data.pipelines.length ? data.pipelines.map(environments).join('') : empty('No stack has releases yet (berth release create).')}
      <h2>Stacks</h2>
      ${data.stacks.length ? data.stacks.map(stackTable).join('') : empty('Nothing is deployed yet (berth deploy -c docker-compose.yml STACK).')}`;
  };
  await refresh();
  return openLive(null, { onEvent: debounce(refresh, 500), indicator: main.querySelector('#live') });
}
