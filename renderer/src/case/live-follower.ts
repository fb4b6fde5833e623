// Live mode: follows the collector's event stream into a live case. Events are batched (a few hundred
// milliseconds) into the engine worker, which stores them in the case store before analysing them, so a live case
// reopens after a restart as it was; the cursor is saved with each batch so following can resume after it.
import type { RuntimeEvent } from '../../../shared/model/event.js';
import { apiClient } from '../platform/api-client.js';
import { engineClient } from '../engine/engine-client.js';
import { caseDatabase } from '../store/case-database.js';

const FLUSH_MS = 300;

export interface LiveStatus {
  state: 'following' | 'reconnecting' | 'stopped' | 'failed';
  detail: string;
  received: number;
  /** Events the collector reported lost before they were read. */
  missed: number;
}

export function followLive(caseId: string, after: string | undefined, onStatus: (status: LiveStatus) => void): () => void {
  let pending: RuntimeEvent[] = [];
  let cursor = after;
  let received = 0;
  let missed = 0;
  let flushing = Promise.resolve();
  const status = (state: LiveStatus['state'], detail: string) => onStatus({ state, detail, received, missed });

  const flush = () => {
    if (!pending.length) return;
    const batch = pending;
    const batchCursor = cursor;
    pending = [];
    flushing = flushing
      .then(() => engineClient().request({ type: 'append-events', caseId, events: batch }))
      .then(() => caseDatabase().cases.update(caseId, { liveCursor: batchCursor, updatedAt: new Date().toISOString() }))
      .then(() => undefined, (error: Error) => status('failed', `events could not be stored: ${error.message}`));
  };
  const timer = setInterval(flush, FLUSH_MS);
  status('following', 'connecting to the lab collector');
  const cancel = apiClient().subscribe(
    'live.events',
    { source: 'lab', ...(after ? { after } : {}) },
    (item) => {
      cursor = item.cursor;
      if (item.type === 'event') {
        received++;
        pending.push(item.event);
        if (received === 1 || received % 200 === 0) status('following', 'lab collector');
      } else if (item.type === 'gap') {
        missed += item.missed;
        status('following', `${item.missed} events were lost before they could be read`);
      } else status('reconnecting', `${item.reason} (attempt ${item.attempt})`);
    },
    (error) => {
      clearInterval(timer);
      flush();
      status(error ? 'failed' : 'stopped', error ? error.message : 'the stream ended');
    },
  );
  return () => {
    cancel();
    clearInterval(timer);
    flush();
    status('stopped', 'stopped by you');
  };
}
