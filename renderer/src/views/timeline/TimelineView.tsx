// Timeline: the density of every event of the case, or of one story (`#/timeline/story/<id>`: its steps marked, its
// window shown) or one entity (`#/timeline/node/<entity id>`: the events behind it marked), with zoom, pan and brush,
// and the events of the current window listed below.
import { useEffect, useMemo, useState } from 'react';
import { eventTimeMs } from '../../../../shared/engine/event-time.js';
import { linkTo, useRoutePath } from '../../app/use-route-path.js';
import { useCase } from '../../case/case-context.js';
import { timelineCategories } from '../../engine/timeline-series.js';
import { useTimelineSeries } from '../../engine/use-timeline-series.js';
import { NeedsCase } from '../common/NeedsCase.js';
import { EventList } from '../common/EventList.js';
import { TimelineCanvas, type TimeWindow } from './TimelineCanvas.js';
import { TimelineWindowEvents } from './TimelineWindowEvents.js';
import { categoryColours, type Marker } from './timeline-draw.js';
import { eventIdsOfNode, buildGraphView, entityKinds } from '../graph/graph-view-model.js';

export function TimelineView() {
  const { analysis, status, summary } = useCase();
  const series = useTimelineSeries();
  const [mode, target] = useRoutePath();
  const [window, setWindow] = useState<TimeWindow | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<number>>(new Set());

  const story = analysis?.status === 'ready' && mode === 'story' ? analysis.stories.find((s) => s.id === target) : undefined;
  const entityEvents = useMemo(() => {
    if (analysis?.status !== 'ready' || mode !== 'node' || !target) return null;
    const view = buildGraphView(analysis.graph, { namespaces: null, kinds: new Set(entityKinds), from: null, to: null }, new Set(), null);
    return eventIdsOfNode(view, target, 1000);
  }, [analysis, mode, target]);
  const markers = useMemo<Marker[]>(() => (story ? story.steps.map((s, i) => ({ time: eventTimeMs(s.time), label: `${i + 1}` })) : []), [story]);

  useEffect(() => {
    if (!series || !series.total) return;
    if (story) {
      const from = eventTimeMs(story.firstSeen);
      const to = eventTimeMs(story.lastSeen);
      const pad = Math.max(5_000, (to - from) * 0.2);
      setWindow({ from: Math.max(series.start, from - pad), to: Math.min(series.end + 1, to + pad) });
    } else setWindow({ from: series.start, to: series.end + 1 });
  }, [series, story]);

  if (status !== 'open' || !summary) return <NeedsCase what="the Timeline" />;
  if (!series || !window) return <p className="muted">Reading the timeline…</p>;
  const colours = categoryColours();
  return (
    <div className="timeline-view" data-view-ready>
      <p className="timeline-scope">
        {story ? (
          <>Steps of <a href={linkTo('stories', story.id)}>{story.title}</a> marked · <a href={linkTo('timeline')}>whole case</a></>
        ) : entityEvents ? (
          <>Events behind <code>{target}</code> listed below · <a href={linkTo('timeline')}>whole case</a></>
        ) : (
          <>Every event of the case: {series.total.toLocaleString('en')} · wheel to zoom, drag to pan, brush below, double-click for all</>
        )}
      </p>
      <fieldset className="legend">
        <legend className="visually-hidden">Event categories</legend>
        {timelineCategories.map((category, index) => (
          <label key={category}>
            <input
              type="checkbox"
              checked={!hidden.has(index)}
              onChange={() => setHidden((current) => {
                const next = new Set(current);
                if (next.has(index)) next.delete(index);
                else next.add(index);
                return next;
              })}
            />{' '}
            <span className="swatch" style={{ background: colours[index] }} aria-hidden="true" /> {category} ({series.times[index]!.length.toLocaleString('en')})
          </label>
        ))}
      </fieldset>
      <TimelineCanvas series={series} window={window} onWindowChange={setWindow} hidden={hidden} markers={markers} />
      {entityEvents ? (
        <section className="panel" aria-label="Events of the entity">
          <EventList ids={entityEvents.ids} truncated={entityEvents.truncated} />
        </section>
      ) : (
        <TimelineWindowEvents window={window} />
      )}
    </div>
  );
}
