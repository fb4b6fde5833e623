// Draws the case's event density on a canvas: one column per few pixels, categories stacked, counts exact for the
// current window (see timeline-series.ts). Canvas, not SVG: a million events become at most a few hundred rectangles
// per category, redrawn in a couple of milliseconds on every zoom, pan or brush.
import { binCounts, timelineCategories, type TimelineSeries } from '../../engine/timeline-series.js';

export interface Marker {
  time: number;
  label: string;
}

export function categoryColours(): string[] {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim() || '#888';
  // process, network, dns, file, http, llm, k8s, other
  return [v('--info'), v('--high'), v('--medium'), v('--low'), v('--accent'), v('--critical'), '#8b5cf6', v('--muted')];
}

export function drawDensity(
  canvas: HTMLCanvasElement,
  series: TimelineSeries,
  from: number,
  to: number,
  options: { colours: string[]; hidden: ReadonlySet<number>; markers: Marker[]; columnWidth: number; markerColour: string; axisColour: string },
): { maxCount: number } {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const context = canvas.getContext('2d')!;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  const columns = Math.max(1, Math.floor(width / options.columnWidth));
  if (to <= from) return { maxCount: 0 };
  const bins = binCounts(series, from, to, columns);
  const totals = new Float64Array(columns);
  bins.forEach((counts, category) => {
    if (options.hidden.has(category)) return;
    for (let i = 0; i < columns; i++) totals[i]! += counts[i]!;
  });
  let maxCount = 0;
  for (const total of totals) maxCount = Math.max(maxCount, total);
  const scale = maxCount ? (height - 2) / maxCount : 0;
  const columnWidth = width / columns;
  const stacked = new Float64Array(columns);
  for (let category = 0; category < timelineCategories.length; category++) {
    if (options.hidden.has(category)) continue;
    context.fillStyle = options.colours[category]!;
    const counts = bins[category]!;
    for (let i = 0; i < columns; i++) {
      const count = counts[i]!;
      if (!count) continue;
      const barHeight = Math.max(1, count * scale);
      context.fillRect(i * columnWidth, height - stacked[i]! - barHeight, Math.max(1, columnWidth - 0.5), barHeight);
      stacked[i]! += barHeight;
    }
  }
  context.strokeStyle = options.axisColour;
  context.beginPath();
  context.moveTo(0, height - 0.5);
  context.lineTo(width, height - 0.5);
  context.stroke();
  context.fillStyle = options.markerColour;
  context.strokeStyle = options.markerColour;
  for (const marker of options.markers) {
    if (marker.time < from || marker.time > to) continue;
    const x = ((marker.time - from) / (to - from)) * width;
    context.beginPath();
    context.moveTo(x, 0);
    context.lineTo(x, height);
    context.stroke();
    context.fillRect(x - 3, 0, 6, 6);
  }
  return { maxCount };
}
