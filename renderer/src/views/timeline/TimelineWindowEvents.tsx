// The events of the timeline's current window, the first hundred in time order (read after the window settles).
import { useEffect, useState } from 'react';
import type { RuntimeEvent } from '../../../../shared/model/event.js';
import { engineClient } from '../../engine/engine-client.js';
import { CopyId } from '../common/CopyId.js';
import { describeEvent } from '../common/describe-event.js';
import type { TimeWindow } from './TimelineCanvas.js';

const LIMIT = 100;

export function TimelineWindowEvents({ window }: { window: TimeWindow }) {
  const [result, setResult] = useState<{ events: RuntimeEvent[]; total: number } | null>(null);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      const from = new Date(Math.floor(window.from)).toISOString().replace('Z', '000000Z');
      const to = new Date(Math.ceil(window.to)).toISOString().replace('Z', '999999Z');
      void engineClient().request({ type: 'events-in-range', from, to, limit: LIMIT }).then((r) => live && setResult(r));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [window.from, window.to]);
  return (
    <section className="panel window-events" aria-label="Events in the window">
      <h2 className="panel-title">
        {result ? `${result.total.toLocaleString('en')} events in the window${result.total > LIMIT ? `, the first ${LIMIT}` : ''}` : 'Reading the window…'}
      </h2>
      <table className="data-table compact">
        <thead>
          <tr><th scope="col">Time (UTC)</th><th scope="col">Kind</th><th scope="col">What</th><th scope="col">Event id</th></tr>
        </thead>
        <tbody>
          {result?.events.map((event) => (
            <tr key={event.id}>
              <td><time dateTime={event.time}>{event.time.slice(11, 23)}</time></td>
              <td><span className="event-kind">{event.kind}</span></td>
              <td className="what">{describeEvent(event)}</td>
              <td><CopyId id={event.id} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
