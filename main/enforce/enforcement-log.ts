// One action-log record per enforcement step, in the same hash-chained log as quarantines.
import type { ActionKind, ActionLogEntry, ActionRecord, Actor, NodeStep } from '../../shared/model/action.js';
import type { AppliedChanges } from '../kube/quarantine/apply-changes.js';
import type { EnforcementContext } from './enforcement-context.js';

const NO_OBJECTS: AppliedChanges = { dryRun: { ok: true, objects: [] }, objects: [], outcome: 'applied', verification: { ok: true, problems: [] } };

export async function recordStep(
  ctx: EnforcementContext,
  step: { actor: Actor; action: ActionKind; workload: string; pod: string; parameters: Record<string, unknown>; applied?: AppliedChanges; nodeStep?: NodeStep; warnings?: string[]; releases?: number },
): Promise<ActionLogEntry> {
  const applied = step.applied ?? NO_OBJECTS;
  const [namespace, pod] = step.pod.split('/') as [string, string];
  let outcome = applied.outcome;
  if (step.nodeStep?.status === 'failed' && (outcome === 'applied' || outcome === 'unchanged')) outcome = 'partial';
  const record: ActionRecord = {
    time: ctx.now().toISOString(),
    actor: step.actor,
    action: step.action,
    target: { clusterId: ctx.clusterId, context: ctx.client.contextName, server: ctx.client.server, namespace, pod, workload: step.workload },
    parameters: step.parameters,
    dryRun: applied.dryRun,
    outcome,
    objects: applied.objects,
    ...(step.nodeStep ? { nodeStep: step.nodeStep } : {}),
    verification: applied.verification,
    warnings: step.warnings ?? [],
    ...(step.releases !== undefined ? { releases: step.releases } : {}),
  };
  return ctx.log.append(record);
}
