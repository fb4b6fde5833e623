// The enforcement ladder of one workload: observing → baseline ready → audit → enforced, and back down.
// Derived, never stored: the baseline's state (from event time) gives the first two rungs, and the enforcement
// records of the action log give the rest, each with when and by whom. Replaying the same case gives the same ladder.
import type { WorkloadBaseline } from '../model/baseline.js';

export type LadderStep = 'observing' | 'baseline-ready' | 'audit' | 'enforced';
export const ladderSteps: LadderStep[] = ['observing', 'baseline-ready', 'audit', 'enforced'];

/** What the action log says a responder did to a workload's enforcement. */
export interface EnforcementRecord {
  time: string;
  actor: string;
  workload: string;
  action: 'enforce.audit' | 'enforce.promote' | 'enforce.rollback' | 'enforce.stop-audit';
  /** seq of the action-log entry, so the workbench can link to it. */
  seq?: number;
}

export interface LadderTransition {
  step: LadderStep;
  at: string;
  /** `vigil` for transitions the evidence made (learning started, baseline ready), else the responder. */
  by: string;
  seq?: number;
}

export interface WorkloadLadder {
  workload: string;
  step: LadderStep;
  /** Every transition in time order; the last one is the current step. */
  history: LadderTransition[];
}

/** Where each action takes the workload from, and to. An action that does not fit the current step is ignored. */
const moves: Record<EnforcementRecord['action'], { from: LadderStep[]; to: LadderStep }> = {
  'enforce.audit': { from: ['baseline-ready'], to: 'audit' },
  'enforce.stop-audit': { from: ['audit'], to: 'baseline-ready' },
  'enforce.promote': { from: ['audit'], to: 'enforced' },
  // Rollback restores what was there before the promotion: the policies in audit mode.
  'enforce.rollback': { from: ['enforced'], to: 'audit' },
};

export function workloadLadder(workload: string, baseline: WorkloadBaseline | undefined, records: readonly EnforcementRecord[]): WorkloadLadder {
  const history: LadderTransition[] = [];
  if (!baseline) return { workload, step: 'observing', history };
  history.push({ step: 'observing', at: baseline.learningStartedAt, by: 'vigil' });
  if (baseline.state !== 'ready') return { workload, step: 'observing', history };
  history.push({ step: 'baseline-ready', at: baseline.readyAt, by: 'vigil' });
  let step: LadderStep = 'baseline-ready';
  const mine = records.filter((r) => r.workload === workload).sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : (a.seq ?? 0) - (b.seq ?? 0)));
  for (const record of mine) {
    const move = moves[record.action];
    if (!move.from.includes(step)) continue;
    step = move.to;
    history.push({ step, at: record.time, by: record.actor, ...(record.seq !== undefined ? { seq: record.seq } : {}) });
  }
  return { workload, step, history };
}

/** Whether `action` may be taken from the workload's current step, and if not, why, in words. */
export function actionAllowed(ladder: WorkloadLadder, action: EnforcementRecord['action']): { allowed: boolean; reason: string } {
  const move = moves[action];
  if (move.from.includes(ladder.step)) return { allowed: true, reason: `${ladder.workload} is at ${ladder.step}` };
  const need = move.from.join(' or ');
  return { allowed: false, reason: `${action.replace('enforce.', '')} needs ${ladder.workload} at ${need}; it is at ${ladder.step}` };
}
