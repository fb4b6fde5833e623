// The incident's figures for the auditor: time to detect, time to contain, and the blast radius before and after
// containment. Definitions (also shown on screen):
// - first evidence: the earliest event any step of the story cites (or its first step, before the events load);
// - time to detect: from the first evidence to the story's first signal of high or critical severity — the moment
//   Vigil had enough to alert on, re-derived by the engine from the bundle's events;
// - time to contain: from the first evidence to the first quarantine the responder applied (as the HTML report
//   counts it, shared/evidence/compliance-map.ts);
// - blast radius before: what the workload could reach under the policies in the bundle's inventory (the posture
//   view's figure); after: the same with the containment applied — a hard quarantine denies all traffic and revokes
//   the workload's role bindings; a soft one keeps only its baseline's destinations; promoted generated policies
//   give the posture's "with generated policies" figure.
import type { Signal } from '../../../../shared/model/signal.js';
import type { BlastRadius, WorkloadPosture } from '../../../../shared/model/workload-posture.js';
import { incidentFigures } from '../../../../shared/evidence/compliance-map.js';
import type { BundleStory, WalkthroughAction } from './walkthrough-steps.js';

export interface DetectFigure {
  firstEvidence: string | null;
  detectedAt: string | null;
  ms: number | null;
  /** Why there is no figure, when there is none. */
  reason?: string;
}

function evidenceTimes(story: BundleStory, earliestEvent: string | null): string[] {
  return [...story.steps.map((s) => s.time), ...(earliestEvent ? [earliestEvent] : [])];
}

export function timeToDetect(story: BundleStory, signals: readonly Signal[] | null, earliestEvent: string | null = null): DetectFigure {
  const firstEvidence = evidenceTimes(story, earliestEvent).sort()[0] ?? null;
  if (!signals) return { firstEvidence, detectedAt: null, ms: null, reason: "the engine's re-derived story is not available yet" };
  const alert = signals.filter((s) => s.severity === 'high' || s.severity === 'critical').map((s) => s.time).sort()[0] ?? null;
  if (!alert) return { firstEvidence, detectedAt: null, ms: null, reason: 'no signal of this story reached high severity' };
  const ms = firstEvidence ? Date.parse(alert) - Date.parse(firstEvidence) : NaN;
  return { firstEvidence, detectedAt: alert, ms: Number.isFinite(ms) ? Math.max(0, ms) : null };
}

export function timeToContain(story: BundleStory, actions: readonly WalkthroughAction[], earliestEvent: string | null = null) {
  return incidentFigures(
    evidenceTimes(story, earliestEvent),
    actions.map((a) => ({ action: a.action, time: a.time, outcome: a.outcome })),
  );
}

export type Containment = 'quarantine.hard' | 'quarantine.soft' | 'enforce.promote' | null;

/** The strongest containment applied to the story's pods (a release after it undoes it). */
export function containmentOf(actions: readonly WalkthroughAction[], pods: readonly string[]): Containment {
  let current: Containment = null;
  for (const action of [...actions].sort((a, b) => a.seq - b.seq)) {
    if (!pods.includes(action.pod) || (action.outcome !== 'applied' && action.outcome !== 'unchanged')) continue;
    if (action.action === 'quarantine.release') current = null;
    else if (action.action === 'quarantine.hard') current = 'quarantine.hard';
    else if (action.action === 'quarantine.soft' && current !== 'quarantine.hard') current = 'quarantine.soft';
    else if (action.action === 'enforce.promote' && current === null) current = 'enforce.promote';
  }
  return current;
}

export function blastRadiusAfter(posture: WorkloadPosture, containment: Containment): BlastRadius {
  const before = posture.blastRadius.current;
  switch (containment) {
    case 'quarantine.hard':
      // Deny-all NetworkPolicy and node-level deny-all; the workload's role bindings revoked. Its own service
      // account still exists, holding nothing.
      return { reachableServices: 0, internetReachable: false, readableSecrets: 0, identities: Math.min(before.identities, 1) };
    case 'quarantine.soft':
      return { ...before, reachableServices: Math.min(before.reachableServices, posture.network.usedDestinations.length), internetReachable: false };
    case 'enforce.promote':
      return posture.blastRadius.withGeneratedPolicies;
    case null:
      return before;
  }
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const seconds = ms / 1000;
  if (seconds < 1) return `${Math.round(ms)} ms`;
  if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = seconds / 60;
  return minutes < 120 ? `${Math.round(minutes)} min` : `${(minutes / 60).toFixed(1)} h`;
}
