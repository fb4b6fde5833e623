// A story's steps as marks over the density of all the case's events in the same window (d3 on SVG: a story has a
// handful of steps and ~200 density bars, far below where SVG gets slow). Clicking a step opens it in the list.
import { useEffect, useRef } from 'react';
import * as d3 from 'd3';
import type { Story } from '../../../../shared/model/story.js';
import { eventTimeMs } from '../../../../shared/engine/event-time.js';
import { useTimelineSeries } from '../../engine/use-timeline-series.js';
import { binCounts } from '../../engine/timeline-series.js';

const WIDTH = 760;
const HEIGHT = 120;
const BINS = 160;
const margin = { top: 10, right: 12, bottom: 22, left: 40 };

export function StoryTimeline({ story, onSelectStep }: { story: Story; onSelectStep: (index: number) => void }) {
  const svgRef = useRef<SVGSVGElement>(null);
  const series = useTimelineSeries();
  useEffect(() => {
    const svg = d3.select(svgRef.current);
    svg.selectAll('*').remove();
    if (!series) {
      svg.append('text').attr('x', margin.left).attr('y', HEIGHT / 2).text('Reading the event density…');
      return;
    }
    const first = eventTimeMs(story.firstSeen);
    const last = eventTimeMs(story.lastSeen);
    const pad = Math.max(5_000, (last - first) * 0.15);
    const from = first - pad;
    const to = last + pad;
    const bins = binCounts(series, from, to, BINS);
    const totals = Array.from({ length: BINS }, (_, i) => bins.reduce((sum, b) => sum + b[i]!, 0));
    const x = d3.scaleUtc().domain([from, to]).range([margin.left, WIDTH - margin.right]);
    const y = d3.scaleLinear().domain([0, Math.max(1, d3.max(totals) ?? 1)]).nice().range([HEIGHT - margin.bottom, margin.top]);
    const barWidth = (WIDTH - margin.left - margin.right) / BINS;
    svg
      .append('g')
      .attr('class', 'density')
      .selectAll('rect')
      .data(totals)
      .join('rect')
      .attr('x', (_, i) => margin.left + i * barWidth)
      .attr('y', (d) => y(d))
      .attr('width', Math.max(1, barWidth - 0.5))
      .attr('height', (d) => y(0) - y(d));
    svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${HEIGHT - margin.bottom})`).call(d3.axisBottom(x).ticks(6));
    svg.append('g').attr('class', 'axis').attr('transform', `translate(${margin.left},0)`).call(d3.axisLeft(y).ticks(3));
    const steps = svg
      .append('g')
      .attr('class', 'steps')
      .selectAll('g')
      .data(story.steps.map((step, index) => ({ step, index })))
      .join('g')
      .attr('transform', (d) => `translate(${x(eventTimeMs(d.step.time))},0)`)
      .attr('tabindex', 0)
      .attr('role', 'button')
      .attr('aria-label', (d) => `Step ${d.index + 1}: ${d.step.summary}`)
      .on('click', (_, d) => onSelectStep(d.index))
      .on('keydown', (event: KeyboardEvent, d) => {
        if (event.key === 'Enter' || event.key === ' ') onSelectStep(d.index);
      });
    steps.append('line').attr('y1', margin.top).attr('y2', HEIGHT - margin.bottom);
    // Steps seconds apart would stack: their marks step down in three rows so every number stays readable.
    const row = (index: number) => (index % 3) * 16;
    steps.append('circle').attr('cy', (d) => margin.top + 6 + row(d.index)).attr('r', 6);
    steps.append('text').attr('y', (d) => margin.top + 10 + row(d.index)).attr('x', 9).text((d) => String(d.index + 1));
    steps.append('title').text((d) => `${d.step.time} ${d.step.summary}`);
  }, [series, story, onSelectStep]);
  return (
    <svg ref={svgRef} className="story-timeline" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" height={HEIGHT} role="group" aria-label="Story steps over time" />
  );
}
