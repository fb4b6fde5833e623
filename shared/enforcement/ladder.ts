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

/**
 * The ladder from the baseline's two moments and the action log, merged in time order, so the history reads forward.
 * The baseline is the latest one learned; the action log may be older than it (the baseline was learned again after
 * an audit began). Such a record still counts: the audit policies it put in place are still in the cluster, and the
 * gate it passed then needed the baseline that was ready then. A baseline learned again while the workload is in
 * audit or enforced does not move it back down.
 */
export function workloadLadder(workload: string, baseline: WorkloadBaseline | undefined, records: readonly EnforcementRecord[]): WorkloadLadder {
  type Moment = { at: string; seq: number; transition: () => void };
  const history: LadderTransition[] = [];
  let step: LadderStep = 'observing';
  const moments: Moment[] = [];
  if (baseline) {
    moments.push({ at: baseline.learningStartedAt, seq: -2, transition: () => {
      if (step === 'observing' && history.length === 0) history.push({ step: 'observing', at: baseline.learningStartedAt, by: 'vigil' });
    } });
    if (baseline.state === 'ready') {
      moments.push({ at: baseline.readyAt, seq: -1, transition: () => {
        if (step !== 'observing') return;
        step = 'baseline-ready';
        history.push({ step, at: baseline.readyAt, by: 'vigil' });
      } });
    }
  }
  for (const record of records) {
    if (record.workload !== workload) continue;
    moments.push({ at: record.time, seq: record.seq ?? 0, transition: () => {
      const move = moves[record.action];
      // An audit begun under an earlier baseline, before the latest one was ready, started from 'baseline-ready' then.
      const from = record.action === 'enforce.audit' ? [...move.from, 'observing'] : move.from;
      if (!from.includes(step)) return;
      step = move.to;
      history.push({ step, at: record.time, by: record.actor, ...(record.seq !== undefined ? { seq: record.seq } : {}) });
    } });
  }
  moments.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq));
  for (const moment of moments) moment.transition();
  return { workload, step, history };
}

/** Whether `action` may be taken from the workload's current step, and if not, why, in words. */
export function actionAllowed(ladder: WorkloadLadder, action: EnforcementRecord['action']): { allowed: boolean; reason: string } {
  const move = moves[action];
  if (move.from.includes(ladder.step)) return { allowed: true, reason: `${ladder.workload} is at ${ladder.step}` };
  const need = move.from.join(' or ');
  return { allowed: false, reason: `${action.replace('enforce.', '')} needs ${ladder.workload} at ${need}; it is at ${ladder.step}` };
}
