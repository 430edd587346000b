// The dashboard's shell: sign-in, navigation between pages (hash routes), theme, and the signed-in role.
import { api, session } from './api.js';
import { esc, tickRelativeTimes } from './format.js';
import { toast } from './ui.js';
import * as overview from './page-overview.js';
import * as service from './page-service.js';
import * as stack from './page-stack.js';
import * as events from './page-events.js';
import * as audit from './page-audit.js';
import * as nodes from './page-nodes.js';

const routes = [
  [/^#?\/?$/, overview],
  [/^#\/service\/([^/]+)$/, service],
  [/^#\/stack\/([^/]+)$/, stack],
  [/^#\/events$/, events],
  [/^#\/audit$/, audit],
  [/^#\/nodes$/, nodes],
];

let cleanup = null;
const main = () => document.getElementById('main');

async function show() {
  if (cleanup) { cleanup(); cleanup = null; }
  if (!session.info) return signInPage();
  const hash = location.hash || '#/';
  const [path] = hash.split('?');
  for (const [pattern, page] of routes) {
    const match = pattern.exec(path);
    if (match) {
      main().innerHTML = '<p class="loading">Loading…</p>';
      document.querySelectorAll('#nav a').forEach(a => a.removeAttribute('aria-current'));
      document.querySelector(`#nav a[href="${path === '#' ? '#/' : path}"]`)?.setAttribute('aria-current', 'page');
      try {
        cleanup = await page.render(main(), match.slice(1).map(decodeURIComponent), new URLSearchParams(hash.split('?')[1] ?? '')) ?? null;
      } catch (e) {
        if (e.status !== 401) main().innerHTML = `<h1>Could not load this page</h1><p class="error">${esc(e.message)}</p>`;
      }
      return;
    }
  }
  main().innerHTML = '<h1>Not found</h1><p>No such page. <a href="#/">Back to the overview</a></p>';
}

function signedIn(info) {
  session.info = info;
  document.getElementById('who').innerHTML = `${esc(info.name)} <span class="badge plain">${esc(info.role)}</span>`;
  document.getElementById('nav').hidden = false;
  document.getElementById('sign-out').hidden = false;
  document.querySelectorAll('[data-needs="administer"]').forEach(el => { el.hidden = !info.canAdminister; });
  document.body.dataset.role = info.role;
}

function signInPage() {
  session.info = null;
  document.getElementById('who').textContent = '';
  document.getElementById('nav').hidden = true;
  document.getElementById('sign-out').hidden = true;
  main().innerHTML = `
    <section class="signin">
      <h1>Sign in to Berth</h1>
      <p>Paste an access token. An admin makes one with <code>berth token create NAME --role viewer</code> (or deployer, approver, admin).</p>
      <form id="signin-form">
        <label for="token">Token</label>
        <input id="token" name="token" type="password" autocomplete="off" required spellcheck="false">
        <button type="submit">Sign in</button>
        <p id="signin-error" class="error" role="alert"></p>
      </form>
    </section>`;
  document.getElementById('signin-form').addEventListener('submit', async e => {
    e.preventDefault();
    const error = document.getElementById('signin-error');
    error.textContent = '';
    try {
      signedIn(await api.signIn(document.getElementById('token').value));
      await show();
    } catch (err) {
      error.textContent = err.message;
    }
  });
  document.getElementById('token').focus();
}

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  const button = document.getElementById('theme');
  button.textContent = theme === 'dark' ? 'Light' : 'Dark';
  button.setAttribute('aria-pressed', String(theme === 'dark'));
  button.setAttribute('aria-label', theme === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme');
}

/** Tables that scroll sideways on a narrow screen must be reachable with the keyboard: a labelled, focusable region. */
function labelScrollRegions(root) {
  for (const wrap of root.querySelectorAll('.table-wrap:not([tabindex])')) {
    const heading = wrap.closest('section')?.querySelector('h2, h3')?.textContent?.trim();
    wrap.setAttribute('tabindex', '0');
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-label', wrap.querySelector('caption')?.textContent?.trim() || (heading ? `${heading} (table)` : 'Table'));
  }
}

async function start() {
  new MutationObserver(() => labelScrollRegions(main())).observe(main(), { childList: true, subtree: true });
  const saved = localStorage.getItem('berth-theme');
  applyTheme(saved ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  document.getElementById('theme').addEventListener('click', () => {
    const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem('berth-theme', next);
    applyTheme(next);
  });
  document.getElementById('sign-out').addEventListener('click', async () => {
    try { await api.signOut(); } catch { /* signed out anyway */ }
    if (cleanup) { cleanup(); cleanup = null; }
    signInPage();
  });
  window.addEventListener('berth:signed-out', e => {
    if (session.info) { toast(e.detail, 'bad'); if (cleanup) { cleanup(); cleanup = null; } signInPage(); }
  });
  window.addEventListener('hashchange', show);
  setInterval(() => tickRelativeTimes(), 5000);
  try { signedIn(await api.session()); } catch { /* not signed in */ }
  await show();
}

start();
