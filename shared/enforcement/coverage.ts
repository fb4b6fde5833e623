// The figures a security lead reports: how much of the cluster runs under enforced, evidence-based policies, how
// much of its AI, and how far a compromise could reach before and after.
import type { WorkloadLadder } from './ladder.js';

export interface WorkloadFacts {
  workload: string;
  isAiAgent: boolean;
  /** Reachable services, secrets and identities under the current policies and under the generated ones. */
  blastRadius: { before: number; after: number };
}

export interface CoverageShare {
  total: number;
  enforced: number;
  inAudit: number;
  /** enforced / total, 0 when there is nothing to cover. */
  share: number;
}

export interface Coverage {
  workloads: CoverageShare;
  aiAgents: CoverageShare;
  /** Sum over workloads: the current reach, and the reach with enforced workloads counted at their generated policies. */
  blastRadius: { before: number; after: number };
  /** One line for a report: "3 of 7 workloads (43%) enforced, 1 of 2 AI agents; blast radius 87 → 6". */
  summary: string;
}

function share(ladders: readonly WorkloadLadder[]): CoverageShare {
  const enforced = ladders.filter((l) => l.step === 'enforced').length;
  const inAudit = ladders.filter((l) => l.step === 'audit').length;
  return { total: ladders.length, enforced, inAudit, share: ladders.length === 0 ? 0 : enforced / ladders.length };
}

export function coverage(ladders: readonly WorkloadLadder[], facts: readonly WorkloadFacts[]): Coverage {
  const factsBy = new Map(facts.map((f) => [f.workload, f]));
  const workloads = share(ladders);
  const aiAgents = share(ladders.filter((l) => factsBy.get(l.workload)?.isAiAgent));
  let before = 0;
  let after = 0;
  for (const ladder of ladders) {
    const radius = factsBy.get(ladder.workload)?.blastRadius;
    if (!radius) continue;
    before += radius.before;
    after += ladder.step === 'enforced' ? radius.after : radius.before;
  }
  const percent = (s: CoverageShare) => `${Math.round(s.share * 100)}%`;
  const summary = `${workloads.enforced} of ${workloads.total} workloads (${percent(workloads)}) enforced, ${aiAgents.enforced} of ${aiAgents.total} AI agents; blast radius ${before} → ${after}`;
  return { workloads, aiAgents, blastRadius: { before, after }, summary };
}
