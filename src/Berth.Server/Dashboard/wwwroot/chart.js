// A small SVG line chart: a few series over time, an optional threshold line, axis labels with units.
// Drawn again on every update (a few hundred points at most), so the chart moves as the data comes in.
import { esc } from './format.js';

const W = 560, H = 180, L = 56, R = 12, T = 12, B = 26;

/**
 * chart: { title, unit: v => text, series: [{ name, className, points: [[timeMs, value]] }], thresholds: [{ value, label }], spanMs }
 */
export function lineChart(chart) {
  const now = Date.now();
  // From the oldest point (at least a minute) up to spanMs: a chart that just started is not squeezed against "now".
  const oldest = Math.min(now, ...chart.series.flatMap(s => s.points.length ? [s.points[0][0]] : []));
  const span = Math.min(chart.spanMs ?? 5 * 60 * 1000, Math.max(60 * 1000, now - oldest));
  const x0 = now - span;
  const all = chart.series.flatMap(s => s.points.filter(p => p[0] >= x0).map(p => p[1]));
  const limits = (chart.thresholds ?? []).map(t => t.value);
  let yMax = Math.max(...all, ...limits, chart.minMax ?? 0);
  if (!Number.isFinite(yMax) || yMax <= 0) yMax = 1;
  yMax *= 1.1;
  const x = t => L + ((t - x0) / span) * (W - L - R);
  const y = v => T + (1 - v / yMax) * (H - T - B);
  const last = s => s.points.length ? s.points[s.points.length - 1][1] : null;
  const summary = chart.series.map(s => `${s.name}: ${last(s) == null ? 'no data' : chart.unit(last(s))}`).join('; ')
    + (chart.thresholds?.length ? `; threshold ${chart.thresholds.map(t => chart.unit(t.value)).join(', ')}` : '');

  const grid = [0, 0.5, 1].map(f => {
    const v = (yMax / 1.1) * f;
    return `<line class="grid" x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}"/><text class="tick" x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${esc(chart.unit(v))}</text>`;
  }).join('');
  const lines = chart.series.map(s => {
    const pts = s.points.filter(p => p[0] >= x0);
    if (!pts.length) return '';
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join('');
    return `<path class="line ${esc(s.className)}" d="${d}"/>`;
  }).join('');
  const thresholds = (chart.thresholds ?? []).map(t =>
    `<line class="threshold" x1="${L}" x2="${W - R}" y1="${y(t.value)}" y2="${y(t.value)}"/><text class="threshold-label" x="${W - R}" y="${y(t.value) - 4}" text-anchor="end">${esc(t.label)}</text>`).join('');
  const minutes = Math.max(1, Math.round(span / 60000));
  const legend = chart.series.map(s => `<li><span class="swatch ${esc(s.className)}"></span>${esc(s.name)} <strong>${esc(last(s) == null ? '—' : chart.unit(last(s)))}</strong></li>`).join('');
  return `<figure class="chart" data-chart="${esc(chart.id ?? chart.title)}">
    <figcaption>${esc(chart.title)}</figcaption>
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(chart.title + ': ' + summary)}">
      ${grid}${thresholds}${lines}
      <text class="tick" x="${L}" y="${H - 6}">−${minutes} min</text><text class="tick" x="${W - R}" y="${H - 6}" text-anchor="end">now</text>
    </svg>
    <ul class="legend">${legend}</ul>
  </figure>`;
}
