// Everything an enforcement step needs, gathered once per command: the cluster, its action log, Vigil's stored
// enforcement state, the collector of the workload's nodes, and the evidence (read live, or injected by tests).
import type { Actor } from '../../shared/model/action.js';
import type { ActionLogFile } from '../kube/action-log-file.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { CollectorClient } from '../collector/collector-client.js';
import type { EnforcementStore } from './enforcement-store.js';
import type { LiveCase } from './live-case.js';

export interface EnforcementContext {
  client: KubeClient;
  clusterId: string;
  log: ActionLogFile;
  store: EnforcementStore;
  /** The collector that enforces at the node; absent: the node step is recorded as unavailable, never as done. */
  collector?: CollectorClient;
  readCase(): Promise<LiveCase>;
  /** How the evidence is read when the workload has no stored analysis of its own (see AnalysisParams). */
  analysis: AnalysisParams;
  now(): Date;
  whoAmI(): Promise<Actor>;
}

/**
 * Which evidence a plan rests on: events from `since` on (earlier ones are left out, e.g. a lab's set-up or an
 * earlier incident), and how long each workload's baseline learns, in event time. Stored with the audit, so every
 * later step of that workload judges the same evidence the same way.
 */
export interface AnalysisParams {
  since?: string;
  learningWindowMs: number;
  /** When the benign period is known (the lab's baseline-traffic run ended then): every baseline learns until it. */
  learnUntil?: string;
}

/** A refusal before anything was changed. */
export class EnforcementError extends Error {
  override name = 'EnforcementError';
  constructor(
    message: string,
    readonly code: 'no-baseline' | 'not-ready' | 'wrong-step' | 'not-allowed' | 'unknown-workload' | 'unknown-violation' | 'rejected' | 'nothing-to-roll-back',
  ) {
    super(message);
  }
}

export const NOTHING_CHANGED = 'nothing was changed';
