// The evidence: the events behind a step, an edge or a node, fetched by id from the case store through the worker.
import { useEffect, useState } from 'react';
import type { RuntimeEvent } from '../../../../shared/model/event.js';
import { engineClient } from '../../engine/engine-client.js';
import { CopyId } from './CopyId.js';
import { describeEvent } from './describe-event.js';

export function EventList({ ids, truncated }: { ids: string[]; truncated?: boolean }) {
  const [events, setEvents] = useState<RuntimeEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = ids.join('\n');
  useEffect(() => {
    let live = true;
    setEvents(null);
    engineClient()
      .request({ type: 'events-by-id', ids })
      .then(
        (found) => live && setEvents(found),
        (failure: Error) => live && setError(failure.message),
      );
    return () => {
      live = false;
    };
  }, [key]);
  if (error) return <p role="alert">The events could not be read: {error}</p>;
  if (!events) return <p className="muted">Reading {ids.length} events…</p>;
  const missing = ids.length - events.length;
  return (
    <div className="event-list">
      <ol>
        {events.map((event) => (
          <li key={event.id}>
            <details>
              <summary>
                <time dateTime={event.time}>{event.time.slice(11, 23)}</time> <span className="event-kind">{event.kind}</span>{' '}
                {describeEvent(event)}
              </summary>
              <div className="event-detail">
                <CopyId id={event.id} />
                <pre>{JSON.stringify(event, null, 2)}</pre>
              </div>
            </details>
          </li>
        ))}
      </ol>
      {missing > 0 ? <p className="muted">{missing} cited events are not in this case store.</p> : null}
      {truncated ? <p className="muted">Only the first event ids are kept per edge; the count above is exact.</p> : null}
    </div>
  );
}
