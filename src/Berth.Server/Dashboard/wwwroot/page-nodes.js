// Nodes: availability, state and replicas; drain and activate (admin).
import { api, enc, session } from './api.js';
import { badge, html, raw } from './format.js';
import { act, bindActions } from './ui.js';

export async function render(main) {
  main.innerHTML = '<h1>Nodes</h1><div id="nodes"></div>';
  const refresh = async () => {
    const nodes = await api.get('/nodes');
    main.querySelector('#nodes').innerHTML = html`<div class="table-wrap"><table><thead><tr><th scope="col">Node</th><th scope="col">Role</th><th scope="col">Availability</th><th scope="col">State</th><th scope="col">Replicas</th><th scope="col">Address</th>${session.info.canAdminister ? raw('<th scope="col">Action</th>') : ''}</tr></thead>
      <tbody>${nodes.map(n => raw(html`<tr><th scope="row">${n.hostname}</th><td>${n.role}</td><td>${badge(n.availability)}</td><td>${badge(n.state)}</td><td>${n.replicas}</td><td>${n.address ?? '—'}</td>
        ${session.info.canAdminister ? raw(n.availability === 'drain'
          ? html`<td><button type="button" data-action="activate" data-node="${n.hostname}">Activate</button></td>`
          : html`<td><button type="button" class="danger" data-action="drain" data-node="${n.hostname}">Drain</button></td>`) : ''}</tr>`))}</tbody></table></div>`;
  };
  bindActions(main, {
    drain: b => act({ confirm: { title: `Drain ${b.dataset.node}?`, text: `Its replicas move to other nodes; nothing new starts on it.`, okLabel: 'Drain', danger: true }, run: () => api.post(`/nodes/${enc(b.dataset.node)}/drain`), done: `${b.dataset.node} drained`, refresh }),
    activate: b => act({ confirm: { title: `Activate ${b.dataset.node}?`, text: 'Replicas may start on it again.', okLabel: 'Activate' }, run: () => api.post(`/nodes/${enc(b.dataset.node)}/activate`), done: `${b.dataset.node} active`, refresh }),
  });
  await refresh();
}
