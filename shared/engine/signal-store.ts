// Signals keyed by a stable id: a detector that sees more evidence for the same finding (the same destination, the
// same escape attempt) extends the existing signal instead of raising a new one, so a story shows one step per
// finding however many events back it.
import type { EntityRef } from '../model/entity.js';
import type { Signal } from '../model/signal.js';
import { severityRank } from '../model/signal.js';

export type SignalDraft = Omit<Signal, 'id'> & {
  /** With detector and rule, identifies the finding; more evidence for the same key extends the signal. */
  dedupeKey: string;
  /** When extending, replace summary and explanation (the detector rewrote them to cover all evidence). */
  replaceText?: boolean;
};

/** A signal cites at most this many events; repeats beyond it raise `count`-like evidence in the graph instead. */
export const MAX_SIGNAL_EVENT_IDS = 64;

export class SignalStore {
  private readonly byId = new Map<string, Signal>();

  /** Adds or extends a signal; returns it and whether it changed. */
  upsert(draft: SignalDraft): { signal: Signal; isNew: boolean } {
    const id = `sig:${draft.detector}:${draft.rule}:${draft.dedupeKey}`;
    const existing = this.byId.get(id);
    if (!existing) {
      const { dedupeKey: _key, replaceText: _replace, ...rest } = draft;
      const signal: Signal = { id, ...rest, techniques: [...draft.techniques], eventIds: [...draft.eventIds], entities: mergeEntities([], draft.entities), correlationKeys: [...new Set(draft.correlationKeys)].sort() };
      this.byId.set(id, signal);
      return { signal, isNew: true };
    }
    for (const eventId of draft.eventIds) {
      if (existing.eventIds.length >= MAX_SIGNAL_EVENT_IDS) break;
      if (!existing.eventIds.includes(eventId)) existing.eventIds.push(eventId);
    }
    if (severityRank(draft.severity) > severityRank(existing.severity)) existing.severity = draft.severity;
    existing.confidence = Math.max(existing.confidence, draft.confidence);
    for (const technique of draft.techniques) if (!existing.techniques.some((t) => t.id === technique.id)) existing.techniques.push(technique);
    existing.entities = mergeEntities(existing.entities, draft.entities);
    existing.correlationKeys = [...new Set([...existing.correlationKeys, ...draft.correlationKeys])].sort();
    if (draft.replaceText) {
      existing.summary = draft.summary;
      existing.explanation = draft.explanation;
    }
    return { signal: existing, isNew: false };
  }

  get(id: string): Signal | undefined {
    return this.byId.get(id);
  }

  all(): Signal[] {
    return [...this.byId.values()].sort((a, b) => (a.time !== b.time ? (a.time < b.time ? -1 : 1) : a.id < b.id ? -1 : 1));
  }

  get size(): number {
    return this.byId.size;
  }
}

function mergeEntities(current: EntityRef[], more: EntityRef[]): EntityRef[] {
  const seen = new Set(current.map((e) => e.id));
  const merged = [...current];
  for (const entity of more) {
    if (!seen.has(entity.id)) {
      seen.add(entity.id);
      merged.push(entity);
    }
  }
  return merged;
}
