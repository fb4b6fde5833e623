// One open case inside the engine worker: its events flow from a file or the case store through the analysis engine,
// the timeline series and the summary. Importing validates the whole file before it stores anything, and a cancelled
// or failed import removes what it had stored, so a case is never half-loaded.
import { Engine } from '../../../shared/engine/engine.js';
import { eventTimeMs } from '../../../shared/engine/event-time.js';
import type { RuntimeEvent } from '../../../shared/model/event.js';
import { openCaseDatabase, toStoredEvent, type CaseDatabase } from '../store/case-db.js';
import { readCaseFiles } from '../case/case-files.js';
import { CaseSummaryBuilder } from './case-summary.js';
import { TimelineSeriesBuilder, type TimelineSeries } from './timeline-series.js';
import type { Analysis, CaseSummary, Progress } from './engine-protocol.js';

const STORE_CHUNK = 5_000;
const INGEST_CHUNK = 20_000;

export interface WorkContext {
  progress(progress: Progress): void;
  /** Throws when the request was cancelled; awaiting it also lets the worker read a pending cancel message. */
  checkpoint(): Promise<void>;
}

export class CaseSession {
  private engine = new Engine();
  /** Every story id absorbed by a merge during this session, mapped to the story that holds it now. */
  private readonly mergedStoryIds = new Map<string, string>();
  private summary: CaseSummaryBuilder;
  private timeline = new TimelineSeriesBuilder();
  private timelineCache: TimelineSeries | null = null;

  constructor(
    readonly caseId: string,
    private readonly db: CaseDatabase = openCaseDatabase(),
  ) {
    this.summary = new CaseSummaryBuilder(caseId);
    this.engine.onChange((delta) => {
      for (const [absorbed, into] of Object.entries(delta.mergedInto ?? {})) {
        for (const [older, target] of this.mergedStoryIds) if (target === absorbed) this.mergedStoryIds.set(older, into);
        this.mergedStoryIds.set(absorbed, into);
      }
    });
  }

  /** Rebuilds the analysis from the events the case store holds for this case. */
  async load(work: WorkContext): Promise<CaseSummary> {
    const record = await this.db.cases.get(this.caseId);
    if (!record) throw new Error(`the case ${this.caseId} is not in the case store`);
    if (record.inventory) this.engine.setInventory(record.inventory);
    const total = await this.db.events.where('caseId').equals(this.caseId).count();
    let batch: RuntimeEvent[] = [];
    // Ordered by time so the engine's reordering window never has to hold much.
    await this.db.events
      .where('[caseId+time]')
      .between([this.caseId, ''], [this.caseId, '\uffff'])
      .each((stored) => {
        batch.push(stored.event);
      });
    for (let i = 0; i < batch.length; i += INGEST_CHUNK) {
      await work.checkpoint();
      this.ingest(batch.slice(i, i + INGEST_CHUNK));
      work.progress({ phase: 'analysing', done: Math.min(total, i + INGEST_CHUNK), total });
    }
    batch = [];
    this.engine.flush();
    return this.summary.summary();
  }

  /** Validates every file, then stores and analyses them. */
  async importFiles(files: { blob: Blob; name: string }[], work: WorkContext): Promise<CaseSummary> {
    const { events, inventory } = await readCaseFiles(files, {
      onBytes: (done, total) => work.progress({ phase: 'validating', done, total }),
      checkpoint: () => work.checkpoint(),
    });
    const now = new Date().toISOString();
    const title = files.map((f) => f.name).join(' + ');
    await this.db.cases.put({ id: this.caseId, title, mode: 'import', createdAt: now, updatedAt: now, clusterIds: [], status: 'open', ...(inventory ? { inventory } : {}) });
    try {
      for (let i = 0; i < events.length; i += STORE_CHUNK) {
        await work.checkpoint();
        await this.db.events.bulkPut(events.slice(i, i + STORE_CHUNK).map((e) => toStoredEvent(this.caseId, e)));
        work.progress({ phase: 'storing', done: Math.min(events.length, i + STORE_CHUNK), total: events.length });
      }
    } catch (error) {
      await this.discard();
      throw error;
    }
    if (inventory) this.engine.setInventory(inventory);
    for (let i = 0; i < events.length; i += INGEST_CHUNK) {
      this.ingest(events.slice(i, i + INGEST_CHUNK));
      work.progress({ phase: 'analysing', done: Math.min(events.length, i + INGEST_CHUNK), total: events.length });
    }
    this.engine.flush();
    return this.summary.summary();
  }

  /** Live mode: events as they arrive are stored, then analysed. */
  async append(events: RuntimeEvent[]): Promise<CaseSummary> {
    await this.db.events.bulkPut(events.map((e) => toStoredEvent(this.caseId, e)));
    await this.db.cases.update(this.caseId, { updatedAt: new Date().toISOString() });
    this.ingest(events);
    return this.summary.summary();
  }

  currentSummary(): CaseSummary {
    return this.summary.summary();
  }

  get analysisEngine(): Engine {
    return this.engine;
  }

  analysis(): Analysis {
    const snapshot = this.engine.snapshot();
    const merged = this.mergedStoryIds.size > 0 ? { mergedStoryIds: Object.fromEntries(this.mergedStoryIds) } : {};
    return { status: 'ready', graph: snapshot.graph, stories: snapshot.stories, signals: snapshot.signals, ...merged };
  }

  timelineSeries(): TimelineSeries {
    this.timelineCache ??= this.timeline.build();
    return this.timelineCache;
  }

  async eventsById(ids: string[]): Promise<RuntimeEvent[]> {
    const stored = await this.db.events.bulkGet(ids.map((id) => [this.caseId, id] as [string, string]));
    return stored.flatMap((s) => (s ? [s.event] : []));
  }

  async eventsInRange(from: string, to: string, limit: number): Promise<{ events: RuntimeEvent[]; total: number }> {
    const range = this.db.events.where('[caseId+time]').between([this.caseId, from], [this.caseId, to], true, true);
    const [stored, total] = await Promise.all([range.clone().limit(limit).toArray(), range.count()]);
    return { events: stored.map((s) => s.event), total };
  }

  /** Case-insensitive search over the whole event text, oldest first. */
  async search(text: string, limit: number): Promise<RuntimeEvent[]> {
    const needle = text.toLowerCase();
    const found: RuntimeEvent[] = [];
    await this.db.events
      .where('[caseId+time]')
      .between([this.caseId, ''], [this.caseId, '\uffff'])
      .until(() => found.length >= limit)
      .each((stored) => {
        if (JSON.stringify(stored.event).toLowerCase().includes(needle)) found.push(stored.event);
      });
    return found;
  }

  private ingest(events: RuntimeEvent[]): void {
    for (const event of events) {
      this.summary.add(event);
      this.timeline.add(event.kind, eventTimeMs(event.time));
    }
    this.timelineCache = null;
    this.engine.ingest(events);
  }

  private async discard(): Promise<void> {
    await this.db.events.where('caseId').equals(this.caseId).delete();
    await this.db.cases.delete(this.caseId);
  }
}
