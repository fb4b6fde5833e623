// The timeline's data: every event time of the case, split by category and sorted. Counting the events in any time
// range is two binary searches, so a column of the canvas costs O(log n) whatever the zoom: a million events bin into
// 1,000 columns in well under a millisecond per category. That is the "aggregation per zoom level", computed exactly
// for the zoom the user is at instead of approximated from a fixed pyramid.
import type { EventKind } from '../../../shared/model/event.js';

export const timelineCategories = ['process', 'network', 'dns', 'file', 'http', 'llm', 'k8s', 'other'] as const;
export type TimelineCategory = (typeof timelineCategories)[number];

const categoryByKind: Record<EventKind, TimelineCategory> = {
  'process.exec': 'process',
  'process.exit': 'process',
  'net.connect': 'network',
  'net.accept': 'network',
  'net.close': 'network',
  'dns.query': 'dns',
  'dns.answer': 'dns',
  'file.open': 'file',
  'syscall.first': 'other',
  'http.request': 'http',
  'llm.request': 'llm',
  'llm.response': 'llm',
  'workload.classified': 'other',
  'enforce.verdict': 'network',
  'k8s.audit': 'k8s',
};

export function categoryOfKind(kind: EventKind): TimelineCategory {
  return categoryByKind[kind];
}

export interface TimelineSeries {
  /** Sorted event times in ms since the epoch, one array per entry of `timelineCategories`. */
  times: Float64Array[];
  start: number;
  end: number;
  total: number;
}

/** Collects times per category, then sorts each once. */
export class TimelineSeriesBuilder {
  private readonly buckets: number[][] = timelineCategories.map(() => []);

  add(kind: EventKind, timeMs: number): void {
    if (!Number.isFinite(timeMs)) return;
    this.buckets[timelineCategories.indexOf(categoryByKind[kind])]!.push(timeMs);
  }

  build(): TimelineSeries {
    const times = this.buckets.map((bucket) => Float64Array.from(bucket).sort());
    let start = Infinity;
    let end = -Infinity;
    let total = 0;
    for (const series of times) {
      total += series.length;
      if (series.length) {
        start = Math.min(start, series[0]!);
        end = Math.max(end, series[series.length - 1]!);
      }
    }
    return total ? { times, start, end, total } : { times, start: 0, end: 0, total: 0 };
  }
}

/** Index of the first element ≥ value. */
export function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Events in [from, to). */
export function countInRange(sorted: Float64Array, from: number, to: number): number {
  return to <= from ? 0 : lowerBound(sorted, to) - lowerBound(sorted, from);
}

/**
 * Counts per category in `bins` equal columns over [from, to): result[category][bin]. The last column is closed so
 * an event at exactly `to` is counted.
 */
export function binCounts(series: TimelineSeries, from: number, to: number, bins: number): Uint32Array[] {
  const width = (to - from) / bins;
  return series.times.map((sorted) => {
    const counts = new Uint32Array(bins);
    let previous = lowerBound(sorted, from);
    for (let bin = 0; bin < bins; bin++) {
      const edge = bin === bins - 1 ? lowerBound(sorted, to + 1e-9) : lowerBound(sorted, from + width * (bin + 1));
      counts[bin] = edge - previous;
      previous = edge;
    }
    return counts;
  });
}

export function totalInRange(series: TimelineSeries, from: number, to: number): number {
  let total = 0;
  for (const sorted of series.times) total += countInRange(sorted, from, to);
  return total;
}
