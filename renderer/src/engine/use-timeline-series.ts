// The case's timeline series, fetched once from the worker per case state and shared by the views that draw time.
import { useEffect, useState } from 'react';
import { useCase } from '../case/case-context.js';
import { engineClient } from './engine-client.js';
import type { TimelineSeries } from './timeline-series.js';

let cache: { key: string; series: Promise<TimelineSeries> } | null = null;

export function useTimelineSeries(): TimelineSeries | null {
  const { caseId, summary } = useCase();
  const [series, setSeries] = useState<TimelineSeries | null>(null);
  const key = `${caseId}:${summary?.eventCount ?? 0}`;
  useEffect(() => {
    if (!caseId) return;
    let live = true;
    if (cache?.key !== key) cache = { key, series: engineClient().request({ type: 'timeline' }) };
    void cache.series.then((s) => live && setSeries(s));
    return () => {
      live = false;
    };
  }, [caseId, key]);
  return series;
}
