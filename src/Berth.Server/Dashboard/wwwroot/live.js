// The server's live stream (server-sent events): new events, and a service's pulse every second.
import { enc } from './api.js';

export function openLive(service, { onEvent, onPulse, onGone, indicator }) {
  const source = new EventSource('/ui/live' + (service ? `?service=${enc(service)}` : ''));
  const mark = state => { if (indicator) { indicator.textContent = state; indicator.dataset.state = state; } };
  mark('connecting');
  source.onopen = () => mark('live');
  source.onerror = () => mark('reconnecting');
  if (onEvent) source.addEventListener('event', e => onEvent(JSON.parse(e.data)));
  if (onPulse) source.addEventListener('pulse', e => onPulse(JSON.parse(e.data)));
  source.addEventListener('gone', e => { mark('gone'); source.close(); onGone?.(JSON.parse(e.data)); });
  return () => source.close();
}

/** Calls fn at most once per delay, the last call winning (refreshes after a burst of events). */
export function debounce(fn, delay = 400) {
  let timer = null;
  return () => { clearTimeout(timer); timer = setTimeout(fn, delay); };
}
