import { describe, expect, it } from 'vitest';
import { TimelineSeriesBuilder, binCounts, countInRange, timelineCategories, totalInRange } from './timeline-series.js';

describe('timeline series', () => {
  const builder = new TimelineSeriesBuilder();
  for (const t of [5, 1, 3, 9, 10]) builder.add('process.exec', t);
  for (const t of [2, 2, 8]) builder.add('net.connect', t);
  builder.add('llm.request', Number.NaN);
  const series = builder.build();

  it('sorts times per category and spans the whole case', () => {
    expect(Array.from(series.times[timelineCategories.indexOf('process')]!)).toEqual([1, 3, 5, 9, 10]);
    expect(series).toMatchObject({ start: 1, end: 10, total: 8 });
  });

  it('counts half-open ranges exactly', () => {
    const process = series.times[0]!;
    expect(countInRange(process, 1, 5)).toBe(2);
    expect(countInRange(process, 5, 5)).toBe(0);
    expect(totalInRange(series, 0, 100)).toBe(8);
  });

  it('bins every event once, the last bin closed', () => {
    const bins = binCounts(series, 1, 10, 3);
    expect(Array.from(bins[0]!)).toEqual([2, 1, 2]);
    expect(Array.from(bins[1]!)).toEqual([2, 0, 1]);
    const sum = bins.reduce((s, b) => s + b.reduce((x, y) => x + y, 0), 0);
    expect(sum).toBe(8);
  });

  it('is empty for a case without events', () => {
    expect(new TimelineSeriesBuilder().build()).toMatchObject({ start: 0, end: 0, total: 0 });
  });
});
