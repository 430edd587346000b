// Numbers with their units, times both relative and absolute, and safe HTML.
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

export function html(strings, ...values) {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? (values[i] instanceof Raw ? values[i].text : Array.isArray(values[i]) ? values[i].map(v => v instanceof Raw ? v.text : esc(v)).join('') : esc(values[i])) : ''), '');
}

export class Raw { constructor(text) { this.text = text; } }
export const raw = text => new Raw(text);

export function relative(iso, now = Date.now()) {
  if (!iso) return '';
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const text = s < 5 ? 'just now' : s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min` : s < 86400 ? `${Math.floor(s / 3600)} h` : `${Math.floor(s / 86400)} d`;
  return text === 'just now' ? text : future ? `in ${text}` : `${text} ago`;
}

export function absolute(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A time as "3 min ago" with the absolute time beside it (and in the machine-readable attribute). */
export function when(iso) {
  if (!iso) return raw('<span class="muted">—</span>');
  return raw(`<time datetime="${esc(iso)}" title="${esc(absolute(iso))}"><span class="rel" data-rel="${esc(iso)}">${esc(relative(iso))}</span> <span class="abs">${esc(absolute(iso))}</span></time>`);
}

export const percent = (fraction, digits = 1) => fraction == null || Number.isNaN(fraction) ? '—' : `${(fraction * 100).toFixed(digits)} %`;
export const ms = value => value == null || Number.isNaN(value) ? '—' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
export const rate = value => value == null || Number.isNaN(value) ? '—' : `${value < 10 ? value.toFixed(1) : Math.round(value)} req/s`;
export const count = value => value == null ? '—' : Number(value).toLocaleString();

/** Refreshes every relative time on the page (called every few seconds). */
export function tickRelativeTimes(root = document) {
  const now = Date.now();
  for (const el of root.querySelectorAll('[data-rel]')) el.textContent = relative(el.dataset.rel, now);
}

export function badge(state) {
  const s = String(state ?? '').toLowerCase();
  const tone = /fail|unhealthy|rolled_back|aborted|rejected|exited|error|down/.test(s) ? 'bad'
    : /running|healthy|completed|succeeded|active|ready|promoted|current|ok|deployed/.test(s) ? 'good'
    : /paus|wait|pending|converg|updating|starting|progress|drain|rolling/.test(s) ? 'warn' : 'plain';
  return raw(`<span class="badge ${tone}">${esc(state ?? '—')}</span>`);
}
