// The audit log (admin): who did what, when, from where, and what came of it; filtered by who, action and result.
import { api } from './api.js';
import { badge, html, raw, when } from './format.js';
import { empty } from './ui.js';

export async function render(main) {
  main.innerHTML = html`<h1>Audit</h1>
    <form id="filters" class="filters" role="search">
      <label for="f-who">Who</label><input id="f-who">
      <label for="f-action">Action contains</label><input id="f-action" placeholder="e.g. promote">
      <label for="f-result">Result</label><select id="f-result"><option value="">any</option><option>ok</option><option>refused</option><option>denied</option><option>unauthenticated</option><option>throttled</option><option>failed</option></select>
      <button type="submit">Filter</button>
    </form>
    <div class="table-wrap"><table><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Role</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Result</th><th scope="col">From</th><th scope="col">Detail</th></tr></thead><tbody id="rows"></tbody></table></div>`;
  const entries = await api.get('/audit?limit=500');
  const draw = () => {
    const who = main.querySelector('#f-who').value.trim(), action = main.querySelector('#f-action').value.trim(), result = main.querySelector('#f-result').value;
    const shown = entries.filter(e => (!who || e.who.includes(who)) && (!action || e.action.includes(action)) && (!result || e.result === result)).slice().reverse();
    main.querySelector('#rows').innerHTML = shown.length
      ? shown.map(e => html`<tr><td>${when(e.at)}</td><td>${e.who}</td><td>${e.role ?? '—'}</td><td><code>${e.action}</code></td><td>${e.target ?? '—'}</td><td>${badge(e.result)} ${e.status}</td><td>${e.from ?? '—'}</td><td>${e.detail ?? ''}</td></tr>`).join('')
      : `<tr><td colspan="8">${empty('No entry matches.')}</td></tr>`;
  };
  draw();
  main.querySelector('#filters').addEventListener('submit', e => { e.preventDefault(); draw(); });
}
