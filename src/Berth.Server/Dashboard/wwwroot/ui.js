// Shared page pieces: toasts in a live region, the confirmation dialog, actions that report their result.
import { esc } from './format.js';

export function toast(message, tone = 'good') {
  const box = document.getElementById('toasts');
  const item = document.createElement('p');
  item.className = `toast ${tone}`;
  item.textContent = message;
  box.append(item);
  setTimeout(() => item.remove(), tone === 'bad' ? 12000 : 6000);
}

/** Asks before a change; resolves { ok, comment }. Keyboard: Tab moves, Enter confirms, Escape cancels. */
export function confirmAction({ title, text, okLabel = 'Confirm', comment = false, danger = false }) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  const ok = document.getElementById('confirm-ok');
  ok.textContent = okLabel;
  ok.className = danger ? 'danger' : '';
  const label = document.getElementById('confirm-comment-label');
  const box = document.getElementById('confirm-comment');
  label.hidden = !comment;
  box.value = '';
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve({ ok: dialog.returnValue === 'ok', comment: box.value.trim() }), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
    (comment ? box : ok).focus();
  });
}

/** Runs an action after confirmation, says what happened, then refreshes the page's data. */
export async function act({ confirm, run, done, refresh }) {
  const answer = await confirmAction(confirm);
  if (!answer.ok) return;
  try {
    const result = await run(answer.comment);
    toast(typeof done === 'function' ? done(result) : done, 'good');
  } catch (e) {
    toast(e.message, 'bad');
  }
  if (refresh) await refresh();
}

export function empty(text) {
  return `<p class="empty">${esc(text)}</p>`;
}

/** Wires every [data-action] button inside root to handlers[name](button). */
export function bindActions(root, handlers) {
  root.addEventListener('click', e => {
    const button = e.target.closest('[data-action]');
    if (button && root.contains(button) && handlers[button.dataset.action]) {
      e.preventDefault();
      handlers[button.dataset.action](button);
    }
  });
}
