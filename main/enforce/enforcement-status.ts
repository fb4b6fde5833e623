// Where every workload stands on the ladder, and the coverage figures a security lead reports.
import { coverage as coverageOf, type Coverage } from '../../shared/enforcement/coverage.js';
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

export async function status(ctx: EnforcementContext, workload?: string): Promise<WorkloadStatus[]> {
  const analyzed = await analyze(ctx);
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
function agentWorkloads(analyzed: AnalyzedCase): Set<string> {
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

export async function coverage(ctx: EnforcementContext): Promise<Coverage & { ladders: WorkloadLadder[] }> {
  const analyzed = await analyze(ctx);
  const all = ladders(ctx, analyzed);
  const agents = agentWorkloads(analyzed);
  const facts = analyzed.engine.posture().map((p) => ({
    workload: p.workload,
    isAiAgent: agents.has(p.workload),
    blastRadius: { before: radiusTotal(p.blastRadius.current), after: radiusTotal(p.blastRadius.withGeneratedPolicies) },
  }));
  return { ...coverageOf(all, facts), ladders: all };
}
