// Where every workload stands on the ladder, and the coverage figures a security lead reports.
import { coverage as coverageOf, type Coverage, type WorkloadFacts } from '../../shared/enforcement/coverage.js';
import { workloadLadder, type WorkloadLadder } from '../../shared/enforcement/ladder.js';
import type { EnforcementContext } from './enforcement-context.js';
import { analyze, radiusTotal, type AnalyzedCase } from './enforcement-plan.js';
import { ladderRecords } from './ladder-records.js';
import { auditReport, type AuditReport } from './enforcement-audit.js';

export interface WorkloadStatus {
  ladder: WorkloadLadder;
  audit?: Pick<AuditReport, 'auditStartedAt' | 'windowMs' | 'gate'> & { violations: number; undecided: number };
}

function ladders(ctx: EnforcementContext, analyzed: AnalyzedCase): WorkloadLadder[] {
  const records = ladderRecords(ctx.log.entries(), ctx.client.server);
  return analyzed.engine
    .snapshot()
    .baselines.filter((b) => b.workload.includes('/'))
    .map((b) => workloadLadder(b.workload, b, records))
    .sort((a, b) => (a.workload < b.workload ? -1 : 1));
}

export async function status(ctx: EnforcementContext, workload?: string, analyzed?: AnalyzedCase): Promise<WorkloadStatus[]> {
  analyzed ??= await analyze(ctx);
  const result: WorkloadStatus[] = [];
  for (const ladder of ladders(ctx, analyzed).filter((l) => workload === undefined || l.workload === workload)) {
    if (ladder.step !== 'audit' && ladder.step !== 'enforced') {
      result.push({ ladder });
      continue;
    }
    const report = await auditReport(ctx, ladder.workload, analyzed).catch(() => undefined);
    result.push(report ? { ladder, audit: { auditStartedAt: report.auditStartedAt, windowMs: report.windowMs, gate: report.gate, violations: report.violations.length, undecided: report.gate.unresolved.length } } : { ladder });
  }
  return result;
}

/** AI agents: declared so in the inventory, or classified as agents by the collector from what they did. */
export function agentWorkloads(analyzed: AnalyzedCase): Set<string> {
  const agents = new Set<string>();
  for (const object of analyzed.inventory.objects.filter((o) => o.kind === 'Pod')) {
    const info = analyzed.inventory.pod(`${object.metadata.namespace}/${object.metadata.name}`);
    if (info?.declaredAiRole === 'agent') agents.add(info.workload);
  }
  for (const event of analyzed.live.events) {
    if (event.kind !== 'workload.classified' || event.details.role !== 'agent' || !event.pod) continue;
    const info = analyzed.inventory.pod(`${event.pod.namespace}/${event.pod.name}`);
    if (info) agents.add(info.workload);
  }
  return agents;
}

/** Per workload: whether it is an AI agent, and its blast radius (a total) now and under its generated policies. */
export function workloadFacts(analyzed: AnalyzedCase): WorkloadFacts[] {
  const agents = agentWorkloads(analyzed);
  return analyzed.engine.posture().map((p) => ({
    workload: p.workload,
    isAiAgent: agents.has(p.workload),
    blastRadius: { before: radiusTotal(p.blastRadius.current), after: radiusTotal(p.blastRadius.withGeneratedPolicies) },
  }));
}

export async function coverage(ctx: EnforcementContext, analyzed?: AnalyzedCase): Promise<Coverage & { ladders: WorkloadLadder[] }> {
  analyzed ??= await analyze(ctx);
  const all = ladders(ctx, analyzed);
  return { ...coverageOf(all, workloadFacts(analyzed)), ladders: all };
}

/** The Enforcement view's first screen: every workload's ladder with its audit, and the coverage — one analysis. */
export async function overview(ctx: EnforcementContext) {
  const analyzed = await analyze(ctx);
  const statuses = await status(ctx, undefined, analyzed);
  const facts = new Map(workloadFacts(analyzed).map((f) => [f.workload, f]));
  const covered = coverageOf(statuses.map((s) => s.ladder), [...facts.values()]);
  return {
    workloads: statuses.map((s) => ({
      ladder: s.ladder,
      isAiAgent: facts.get(s.ladder.workload)?.isAiAgent ?? false,
      blastRadius: facts.get(s.ladder.workload)?.blastRadius ?? null,
      audit: s.audit ? { auditStartedAt: s.audit.auditStartedAt, windowMs: s.audit.windowMs, gate: s.audit.gate, violations: s.audit.violations, undecided: s.audit.undecided } : null,
    })),
    coverage: covered,
    gaps: analyzed.live.gaps,
  };
}
