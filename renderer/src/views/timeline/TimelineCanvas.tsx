// The timeline: a detail canvas for the current window (wheel zooms around the pointer, drag pans) over an overview
// of the whole case with a d3 brush. Brushing, zooming and panning all set the same window; the brush follows.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import * as d3 from 'd3';
import type { TimelineSeries } from '../../engine/timeline-series.js';
import { categoryColours, drawDensity, type Marker } from './timeline-draw.js';

const OVERVIEW_HEIGHT = 56;
const MIN_SPAN_MS = 50;

export interface TimeWindow {
  from: number;
  to: number;
}

export function TimelineCanvas({ series, window: view, onWindowChange, hidden, markers }: {
  series: TimelineSeries;
  window: TimeWindow;
  onWindowChange(window: TimeWindow): void;
  hidden: ReadonlySet<number>;
  markers: Marker[];
}) {
  const detail = useRef<HTMLCanvasElement>(null);
  const overview = useRef<HTMLCanvasElement>(null);
  const brushSvg = useRef<SVGSVGElement>(null);
  const axisSvg = useRef<SVGSVGElement>(null);
  const brushRef = useRef<d3.BrushBehavior<unknown> | null>(null);
  const brushStarted = useRef<number | null>(null);
  const [width, setWidth] = useState(800);
  const [maxCount, setMaxCount] = useState(0);
  const full = { from: series.start, to: series.end + 1 };
  const change = useRef(onWindowChange);
  change.current = onWindowChange;

  useEffect(() => {
    const element = detail.current!;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const style = () => {
    const css = getComputedStyle(document.documentElement);
    return { colours: categoryColours(), markerColour: css.getPropertyValue('--critical').trim(), axisColour: css.getPropertyValue('--border').trim() };
  };

  // Detail: redrawn synchronously after each window change, so the measured brush latency is the real one.
  useLayoutEffect(() => {
    const { maxCount: max } = drawDensity(detail.current!, series, view.from, view.to, { ...style(), hidden, markers, columnWidth: 3 });
    setMaxCount(max);
    if (brushStarted.current !== null) {
      performance.measure('timeline-brush', { start: brushStarted.current, end: performance.now() });
      brushStarted.current = null;
    }
    const x = d3.scaleUtc().domain([view.from, view.to]).range([0, width]);
    d3.select(axisSvg.current).selectAll('*').remove();
    d3.select(axisSvg.current).append('g').attr('class', 'axis').call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(width / 120))));
  }, [series, view.from, view.to, hidden, markers, width]);

  useLayoutEffect(() => {
    drawDensity(overview.current!, series, full.from, full.to, { ...style(), hidden, markers, columnWidth: 2 });
  }, [series, hidden, markers, width, full.from, full.to]);

  // The brush over the overview.
  useEffect(() => {
    const svg = d3.select(brushSvg.current!);
    const x = d3.scaleLinear().domain([full.from, full.to]).range([0, width]);
    const brush = d3
      .brushX()
      .extent([[0, 0], [width, OVERVIEW_HEIGHT]])
      .on('start brush end', (event: d3.D3BrushEvent<unknown>) => {
        if (!event.sourceEvent || !event.selection) return;
        const [a, b] = event.selection as [number, number];
        brushStarted.current = performance.now();
        change.current({ from: x.invert(a), to: Math.max(x.invert(a) + MIN_SPAN_MS, x.invert(b)) });
      });
    brushRef.current = brush;
    svg.selectAll('*').remove();
    svg.append('g').attr('class', 'brush').call(brush);
    return () => {
      svg.selectAll('*').remove();
    };
  }, [width, full.from, full.to]);

  // The brush follows zoom and pan.
  useEffect(() => {
    const brush = brushRef.current;
    if (!brush) return;
    const x = d3.scaleLinear().domain([full.from, full.to]).range([0, width]);
    const group = d3.select(brushSvg.current!).select<SVGGElement>('g.brush');
    const isFull = view.from <= full.from && view.to >= full.to;
    group.call(brush.move, isFull ? null : [Math.max(0, x(view.from)), Math.min(width, x(view.to))]);
  }, [view.from, view.to, width, full.from, full.to]);

  // Wheel zooms around the pointer, drag pans, double-click shows everything.
  useEffect(() => {
    const canvas = detail.current!;
    let current = view;
    const clamp = (from: number, to: number): TimeWindow => {
      const span = Math.min(full.to - full.from, Math.max(MIN_SPAN_MS, to - from));
      const start = Math.min(Math.max(full.from, from), full.to - span);
      return { from: start, to: start + span };
    };
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const at = current.from + (event.offsetX / canvas.clientWidth) * (current.to - current.from);
      const factor = Math.exp(event.deltaY * 0.002);
      brushStarted.current = performance.now();
      current = clamp(at - (at - current.from) * factor, at + (current.to - at) * factor);
      change.current(current);
    };
    let dragFrom: { x: number; window: TimeWindow } | null = null;
    const onDown = (event: PointerEvent) => {
      dragFrom = { x: event.clientX, window: current };
      canvas.setPointerCapture(event.pointerId);
    };
    const onMove = (event: PointerEvent) => {
      if (!dragFrom) return;
      const shift = ((dragFrom.x - event.clientX) / canvas.clientWidth) * (dragFrom.window.to - dragFrom.window.from);
      brushStarted.current = performance.now();
      current = clamp(dragFrom.window.from + shift, dragFrom.window.to + shift);
      change.current(current);
    };
    const onUp = () => (dragFrom = null);
    const onDouble = () => change.current((current = { ...full }));
    canvas.addEventListener('wheel', onWheel, { passive: false });
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', onUp);
    canvas.addEventListener('dblclick', onDouble);
    return () => {
      canvas.removeEventListener('wheel', onWheel);
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', onUp);
      canvas.removeEventListener('dblclick', onDouble);
    };
  }, [view, full.from, full.to]);

  return (
    <div className="timeline-canvas">
      <div className="timeline-scale muted" aria-hidden="true">{maxCount.toLocaleString('en')} events / column</div>
      <canvas ref={detail} className="timeline-detail" data-testid="timeline-detail" role="img" aria-label={`Event density from ${new Date(view.from).toISOString()} to ${new Date(view.to).toISOString()}`} />
      <svg ref={axisSvg} className="timeline-axis" width="100%" height={22} aria-hidden="true" />
      <div className="timeline-overview">
        <canvas ref={overview} aria-hidden="true" />
        <svg ref={brushSvg} width="100%" height={OVERVIEW_HEIGHT} data-testid="timeline-brush" role="group" aria-label="Brush a time window over the whole case" />
      </div>
    </div>
  );
}
