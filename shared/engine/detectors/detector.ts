// What every detector sees for one event, and what it returns. Detectors run before the baseline learns the event,
// so "new" always means "not seen during the workload's learning window".
import type { EventKind } from '../../model/event.js';
import type { Feature } from '../behaviour-features.js';
import type { WorkloadProfile } from '../baseline-learner.js';
import type { InventoryIndex } from '../inventory-index.js';
import type { NameBook } from '../name-book.js';
import type { Observation } from '../observation.js';
import type { SignalDraft } from '../signal-store.js';

export interface DetectorContext {
  o: Observation;
  features: readonly Feature[];
  /** The workload's profile, and whether it had finished learning when this event happened. */
  profile: WorkloadProfile | null;
  ready: boolean;
  names: NameBook;
  inventory: InventoryIndex;
}

export interface Detector {
  readonly name: string;
  /** The event kinds the detector looks at: the engine hands it no others (most events concern one or two). */
  readonly kinds: readonly EventKind[];
  onEvent(ctx: DetectorContext, emit: (draft: SignalDraft) => void): void;
}

/** `pod X` or `workload X` for summaries. */
export function where(ctx: DetectorContext): string {
  return ctx.o.pod ? `pod ${ctx.o.pod}` : ctx.o.workload ? `workload ${ctx.o.workload}` : `node ${ctx.o.event.node}`;
}

/** Correlation keys every signal about this event shares: its pod and its process tree. */
export function baseKeys(ctx: DetectorContext): string[] {
  const keys: string[] = [];
  if (ctx.o.pod) keys.push(`pod:${ctx.o.pod}`);
  if (ctx.o.process) keys.push(ctx.o.process.tree);
  return keys;
}

export function quote(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh', 'busybox']);
export function isShell(exeBaseName: string): boolean {
  return SHELLS.has(exeBaseName);
}
