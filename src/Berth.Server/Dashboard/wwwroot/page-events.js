// Events, newest first, live; filtered by service and by kind.
import { api, enc } from './api.js';
import { esc, html, raw, when } from './format.js';
import { openLive } from './live.js';
import { empty } from './ui.js';

export async function render(main, _, query) {
  const service = query.get('service') ?? '';
  main.innerHTML = html`<div class="page-head"><h1>Events</h1><span class="live-dot" id="live"></span></div>
    <form id="filters" class="filters" role="search">
      <label for="f-service">Service</label><input id="f-service" value="${service}" placeholder="all">
      <label for="f-kind">Kind contains</label><input id="f-kind" placeholder="e.g. rollout">
      <button type="submit">Filter</button>
    </form>
    <div class="table-wrap"><table><thead><tr><th scope="col">When</th><th scope="col">Kind</th><th scope="col">Service</th><th scope="col">Message</th></tr></thead><tbody id="rows"></tbody></table></div>`;
  const rows = main.querySelector('#rows');
  const kind = () => main.querySelector('#f-kind').value.trim();
  const row = e => html`<tr data-kind="${e.kind}"><td>${when(e.time)}</td><td><code>${e.kind}</code></td><td>${e.service ? raw(html`<a href="#/service/${enc(e.service)}">${e.service}</a>`) : '—'}</td><td>${e.message}</td></tr>`;
  const list = await api.get('/events' + (service ? `?service=${enc(service)}` : ''));
  const draw = () => {
    const k = kind();
    const shown = list.filter(e => !k || e.kind.includes(k)).slice(-300).reverse();
    rows.innerHTML = shown.length ? shown.map(row).join('') : `<tr><td colspan="4">${empty('No event matches.')}</td></tr>`;
  };
  draw();
  main.querySelector('#filters').addEventListener('submit', e => {
    e.preventDefault();
    const s = main.querySelector('#f-service').value.trim();
    if (s !== service) location.hash = '#/events' + (s ? `?service=${enc(s)}` : ''); else draw();
  });
  return openLive(service || null, { onEvent: e => { list.push(e); draw(); }, indicator: main.querySelector('#live') });
}
