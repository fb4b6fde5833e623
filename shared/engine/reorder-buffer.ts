// Events arrive slightly out of order (per-CPU ring buffers, several nodes, the audit log). The engine holds them for
// a window of event time and releases them sorted by (time, id), so the same events give the same output whatever
// their arrival order within the window. An event older than what was already released is processed at once and
// counted as late: output then depends on arrival order, and the count makes that visible.
import type { RuntimeEvent } from '../model/event.js';
import { eventTimeMs } from './event-time.js';

export interface TimedEvent {
  event: RuntimeEvent;
  timeMs: number;
}

export function compareTimed(a: TimedEvent, b: TimedEvent): number {
  if (a.timeMs !== b.timeMs) return a.timeMs - b.timeMs;
  const x = a.event;
  const y = b.event;
  if (x.time !== y.time) return x.time < y.time ? -1 : 1;
  return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
}

export class ReorderBuffer {
  private pending: TimedEvent[] = [];
  /** Whether `pending` is already in release order: streams are nearly sorted, so most pushes need no sort. */
  private pendingSorted = true;
  private maxTimeMs = -Infinity;
  private releasedUpToMs = -Infinity;
  lateEvents = 0;
  invalidTimes = 0;

  constructor(private readonly windowMs: number) {}

  /** Adds events; returns those now older than the watermark (newest seen - window), sorted, plus late ones. */
  push(events: readonly RuntimeEvent[]): TimedEvent[] {
    const late: TimedEvent[] = [];
    for (const event of events) {
      const timeMs = eventTimeMs(event.time);
      if (Number.isNaN(timeMs)) {
        this.invalidTimes++;
        continue;
      }
      const timed = { event, timeMs };
      if (timeMs < this.releasedUpToMs) {
        this.lateEvents++;
        late.push(timed);
        continue;
      }
      const last = this.pending[this.pending.length - 1];
      if (last !== undefined && this.pendingSorted && compareTimed(last, timed) > 0) this.pendingSorted = false;
      this.pending.push(timed);
      if (timeMs > this.maxTimeMs) this.maxTimeMs = timeMs;
    }
    return late.concat(this.release(this.maxTimeMs - this.windowMs));
  }

  /** Releases everything held (end of a recorded case, or the caller knows no older event can come). */
  drain(): TimedEvent[] {
    return this.release(Infinity);
  }

  get held(): number {
    return this.pending.length;
  }

  private release(watermarkMs: number): TimedEvent[] {
    if (this.pending.length === 0) return [];
    if (!this.pendingSorted) {
      this.pending.sort(compareTimed);
      this.pendingSorted = true;
    }
    let cut = 0;
    while (cut < this.pending.length && this.pending[cut]!.timeMs <= watermarkMs) cut++;
    if (cut === 0) return [];
    let released: TimedEvent[];
    if (cut === this.pending.length) {
      released = this.pending;
      this.pending = [];
    } else {
      released = this.pending.slice(0, cut);
      this.pending = this.pending.slice(cut);
    }
    this.releasedUpToMs = Math.max(this.releasedUpToMs, released[released.length - 1]!.timeMs);
    return released;
  }
}
