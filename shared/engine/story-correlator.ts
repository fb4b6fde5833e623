// Joins signals into attack stories. Two signals belong together when they share a correlation key — the same pod,
// process tree, identity, piece of data or destination — within a time window. Stories are connected components of
// that relation (union-find, incremental). A component becomes a story only when it holds at least one signal of
// medium severity or more: drift and other low findings alone never make a story.
import type { EntityRef } from '../model/entity.js';
import type { Severity, Signal } from '../model/signal.js';
import { SEVERITY_ORDER, severityRank } from '../model/signal.js';
import type { Story, StoryStep } from '../model/story.js';
import { compareEntityRefs } from './entity-ids.js';
import { eventTimeMs } from './event-time.js';
import { narrate, titleOf } from './narrative.js';
import { shortHash } from './stable-hash.js';

export interface CorrelationOptions {
  /** Largest gap between two signals sharing a key for them to join. */
  windowMs: number;
}

const SEVERITY_POINTS: Record<Severity, number> = { info: 0, low: 4, medium: 15, high: 28, critical: 40 };

export class StoryCorrelator {
  private readonly parent = new Map<string, string>();
  private readonly signals = new Map<string, Signal>();
  /** Per correlation key: the signal that last carried it and when. */
  private readonly lastByKey = new Map<string, { signalId: string; timeMs: number }>();
  private readonly knownKeys = new Map<string, Set<string>>();
  private dirtyRoots = new Set<string>();
  /**
   * The story of each component that is one: its id, fixed when the component first held a finding (medium or more),
   * and its birth order. A merge keeps the id of the story born first, so an id a responder noted, linked or selected
   * keeps naming the attack as it grows; the other ids are remembered as absorbed.
   */
  private readonly storyByRoot = new Map<string, { id: string; born: number }>();
  private storiesBorn = 0;
  /** Story ids absorbed by merges since the last `takeMergedStoryIds`, each with the id it now lives under. */
  private mergedInto = new Map<string, string>();

  constructor(private readonly options: CorrelationOptions) {}

  /** Adds a new or extended signal; returns nothing, the change shows in `takeChangedStoryIds`. */
  add(signal: Signal): void {
    if (!this.signals.has(signal.id)) {
      this.signals.set(signal.id, signal);
      this.parent.set(signal.id, signal.id);
    }
    const timeMs = eventTimeMs(signal.time);
    let seen = this.knownKeys.get(signal.id);
    if (!seen) this.knownKeys.set(signal.id, (seen = new Set()));
    for (const key of signal.correlationKeys) {
      const last = this.lastByKey.get(key);
      if (last && last.signalId !== signal.id && Math.abs(timeMs - last.timeMs) <= this.options.windowMs) this.union(last.signalId, signal.id);
      if (!last || timeMs >= last.timeMs) this.lastByKey.set(key, { signalId: signal.id, timeMs });
      seen.add(key);
    }
    const root = this.find(signal.id);
    this.dirtyRoots.add(root);
    // Severity only rises and signals never leave: a component becomes a story once, at its first finding.
    if (!this.storyByRoot.has(root) && severityRank(signal.severity) >= severityRank('medium')) {
      this.storyByRoot.set(root, { id: storyIdOf(signal.id), born: this.storiesBorn++ });
    }
  }

  /**
   * Story ids absorbed into another story since the last call, each mapped to the id that now holds its steps
   * (followed through merges of merges). Resets the record.
   */
  takeMergedStoryIds(): Map<string, string> {
    const merged = this.mergedInto;
    this.mergedInto = new Map();
    return merged;
  }

  /** Roots whose stories changed since the last call. */
  takeChangedRoots(): string[] {
    const roots = new Set([...this.dirtyRoots].map((r) => this.find(r)));
    this.dirtyRoots = new Set();
    return [...roots].sort();
  }

  /** The story of one component, or null when it does not qualify (nothing of medium severity or more). */
  storyOf(root: string): Story | null {
    const story = this.storyByRoot.get(this.find(root));
    if (!story) return null;
    return buildStory(this.members(root), story.id);
  }

  stories(): Story[] {
    const roots = new Set<string>();
    for (const id of this.signals.keys()) roots.add(this.find(id));
    const stories: Story[] = [];
    for (const root of roots) {
      const story = this.storyOf(root);
      if (story) stories.push(story);
    }
    return stories.sort((a, b) => (a.firstSeen !== b.firstSeen ? (a.firstSeen < b.firstSeen ? -1 : 1) : a.id < b.id ? -1 : 1));
  }

  private members(root: string): Signal[] {
    const out: Signal[] = [];
    for (const [id, signal] of this.signals) if (this.find(id) === root) out.push(signal);
    return out;
  }

  /** The component root of a signal (the smallest signal id in it). */
  rootOf(id: string): string {
    return this.find(id);
  }

  private find(id: string): string {
    let root = id;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    let node = id;
    while (node !== root) {
      const next = this.parent.get(node)!;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }

  /** The root is the smaller id, so the component's root never depends on the order of unions. */
  private union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    const [keep, drop] = ra < rb ? [ra, rb] : [rb, ra];
    this.parent.set(drop, keep);
    this.dirtyRoots.delete(drop);
    this.dirtyRoots.add(keep);
    const kept = this.storyByRoot.get(keep);
    const dropped = this.storyByRoot.get(drop);
    this.storyByRoot.delete(drop);
    if (!kept && !dropped) return;
    if (!kept || !dropped) {
      this.storyByRoot.set(keep, (kept ?? dropped)!);
      return;
    }
    const [older, younger] = kept.born < dropped.born ? [kept, dropped] : [dropped, kept];
    this.storyByRoot.set(keep, older);
    this.mergedInto.set(younger.id, older.id);
    for (const [absorbed, into] of this.mergedInto) if (into === younger.id) this.mergedInto.set(absorbed, older.id);
  }
}

function compareSignals(a: Signal, b: Signal): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A story's id: derived from the finding that made its component a story. */
export function storyIdOf(firstFindingId: string): string {
  return `story-${shortHash(firstFindingId)}`;
}

/** The story of a component's signals, or null without a finding; `id` keeps the id the story was given at birth. */
export function buildStory(members: Signal[], id?: string): Story | null {
  const sorted = [...members].sort(compareSignals);
  // Steps are the findings of medium severity or more, and Vigil's own enforcement stopping the attack (low, but the
  // end of the story a responder needs to read). Enforcement alone never makes a story, nor raises its severity.
  const findings = sorted.filter((s) => severityRank(s.severity) >= severityRank('medium'));
  if (findings.length === 0) return null;
  const steps = sorted.filter((s) => severityRank(s.severity) >= severityRank('medium') || s.detector === 'enforcement');
  const first = findings[0]!;
  const detectors = new Set(findings.map((s) => s.detector));
  let severity = findings.reduce<Severity>((max, s) => (severityRank(s.severity) > severityRank(max) ? s.severity : max), 'info');
  if (detectors.size >= 3 && severityRank(severity) < severityRank('critical')) severity = SEVERITY_ORDER[severityRank(severity) + 1]!;
  const points = sorted.reduce((sum, s) => sum + SEVERITY_POINTS[s.severity] * s.confidence, 0) + 8 * (detectors.size - 1);
  const score = Math.min(100, Math.round(points));
  const entities = new Map<string, EntityRef>();
  for (const s of sorted) for (const e of s.entities) if (!entities.has(e.id)) entities.set(e.id, e);
  const storySteps: StoryStep[] = steps.map((s) => ({ time: s.time, summary: s.summary, eventIds: [...s.eventIds], signalId: s.id, detector: s.detector }));
  const techniqueIds = [...new Set(sorted.flatMap((s) => s.techniques.map((t) => t.id)))].sort();
  const title = titleOf(steps);
  const story: Story = {
    id: id ?? storyIdOf(first.id),
    title,
    severity,
    score,
    techniques: techniqueIds,
    steps: storySteps,
    entities: [...entities.values()].sort(compareEntityRefs),
    narrative: '',
    firstSeen: sorted[0]!.time,
    lastSeen: sorted.reduce((max, s) => (s.time > max ? s.time : max), sorted[0]!.time),
    signalIds: sorted.map((s) => s.id),
  };
  story.narrative = narrate(story, steps);
  return story;
}
