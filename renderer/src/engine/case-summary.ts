// Running counts of a case's events, kept while they stream through the worker.
import type { RuntimeEvent } from '../../../shared/model/event.js';
import type { CaseSummary } from './engine-protocol.js';

export class CaseSummaryBuilder {
  private eventCount = 0;
  private firstTime: string | null = null;
  private lastTime: string | null = null;
  private unattributedCount = 0;
  private readonly countsByKind: Record<string, number> = {};

  constructor(private readonly caseId: string) {}

  add(event: RuntimeEvent): void {
    this.eventCount++;
    if (this.firstTime === null || event.time < this.firstTime) this.firstTime = event.time;
    if (this.lastTime === null || event.time > this.lastTime) this.lastTime = event.time;
    // API-server audit events are about users, not pods: they are never "unattributed".
    if (!event.pod && event.kind !== 'k8s.audit') this.unattributedCount++;
    this.countsByKind[event.kind] = (this.countsByKind[event.kind] ?? 0) + 1;
  }

  summary(): CaseSummary {
    return {
      caseId: this.caseId,
      eventCount: this.eventCount,
      firstTime: this.firstTime,
      lastTime: this.lastTime,
      unattributedCount: this.unattributedCount,
      countsByKind: { ...this.countsByKind },
    };
  }
}
