// Promotion: once the audit window has run with every violation decided, the plan is enforced — server-side dry run,
// then the NetworkPolicy, the scoped RBAC Role with the service account's old bindings revoked (saved in the log),
// the SeccompProfile where security-profiles-operator is installed (and the pod-spec patch that would use it), and
// the collector's node allowlist switched from audit to enforce. Rollback undoes exactly what the promotion applied,
// from the objects it saved, and puts the node back in audit mode.
import type { ActionLogEntry } from '../../shared/model/action.js';
import type { KubeObject } from '../../shared/model/inventory.js';
import { actionAllowed } from '../../shared/enforcement/ladder.js';
import { applyChanges } from '../kube/quarantine/apply-changes.js';
import type { ChangeSpec } from '../kube/quarantine/object-change.js';
import { undoSpec } from '../kube/quarantine/undo.js';
import { revokeSubjectSpec, subjectIsServiceAccount } from '../kube/quarantine/quarantine-objects.js';
import { EnforcementError, NOTHING_CHANGED, type EnforcementContext } from './enforcement-context.js';
import { analysisFor, analyze, workloadPods } from './enforcement-plan.js';
import { auditReport, ladderOf } from './enforcement-audit.js';
import { nodeAllowlist } from './node-allowlist.js';
import { setNodeMode, workloadContainerIds } from './node-step.js';
import { objectPresentSpec, SECCOMP_PROFILE_KIND } from './object-presence.js';
import { whyNotAllowed } from '../kube/access/change-permissions.js';
import { recordStep } from './enforcement-log.js';
import { changesOf, type StepPreview } from './step-preview.js';

async function seccompOperatorInstalled(ctx: EnforcementContext): Promise<boolean> {
  try {
    await ctx.client.request('GET', `/apis/${SECCOMP_PROFILE_KIND.group}/${SECCOMP_PROFILE_KIND.version}`);
    return true;
  } catch {
    return false;
  }
}

async function existingBindings(ctx: EnforcementContext): Promise<KubeObject[]> {
  const list = async (plural: string, kind: string) =>
    ((await ctx.client.request<{ items?: KubeObject[] }>('GET', `/apis/rbac.authorization.k8s.io/v1/${plural}`)).items ?? []).map((b) => ({ ...b, kind }));
  return [...(await list('rolebindings', 'RoleBinding')), ...(await list('clusterrolebindings', 'ClusterRoleBinding'))];
}

/** The pod-spec change that would make the workload's pods use the SeccompProfile (proposed, never applied). */
function seccompPatchProposal(workload: string, profile: KubeObject | undefined) {
  if (!profile) return undefined;
  const [namespace, owner] = workload.split('/');
  return {
    target: `${namespace}/${owner}`,
    patch: { spec: { template: { spec: { securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: `operator/${namespace}/${profile.metadata.name}.json` } } } } } },
  };
}

/**
 * Everything a promotion would write, decided from the cluster as it is now. Throws (nothing changed) when the
 * workload is not at audit or its gate is closed.
 */
async function promotionChanges(ctx: EnforcementContext, workload: string) {
  const analyzed = await analyze(ctx, analysisFor(ctx, workload));
  const ladder = ladderOf(ctx, analyzed, workload);
  const allowed = actionAllowed(ladder, 'enforce.promote');
  if (!allowed.allowed) throw new EnforcementError(`${allowed.reason}; ${NOTHING_CHANGED}`, 'wrong-step');
  const report = await auditReport(ctx, workload, analyzed);
  if (!report.gate.ready) throw new EnforcementError(`${workload} cannot be promoted yet: ${report.gate.blockers.join('; ')}; ${NOTHING_CHANGED}`, 'not-ready');
  const state = ctx.store.get(workload)!;
  const [namespace] = workload.split('/') as [string];
  const serviceAccount = analyzed.inventory.pod(state.pod)?.serviceAccount ?? 'default';
  const warnings: string[] = [];

  const specs: ChangeSpec[] = [];
  for (const policy of state.plan.networkpolicy.objects) specs.push(objectPresentSpec(policy, `enforce ${workload}'s evidence-based network allowlist`));
  const rbacObjects = state.plan.rbac.objects;
  for (const object of rbacObjects) specs.push(objectPresentSpec(object, `grant ${namespace}/${serviceAccount} exactly the API access it was observed to use`));
  const vigilBindings = new Set(rbacObjects.filter((o) => o.kind.endsWith('Binding')).map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`));
  for (const binding of await existingBindings(ctx)) {
    if (vigilBindings.has(`${binding.kind}/${binding.metadata.namespace ?? ''}/${binding.metadata.name}`)) continue;
    const subjects = (binding.subjects as { kind?: string; name?: string; namespace?: string }[] | undefined) ?? [];
    if (subjects.some((s) => subjectIsServiceAccount(s, binding.metadata.namespace, namespace, serviceAccount))) specs.push(revokeSubjectSpec(binding, namespace, serviceAccount));
  }
  const seccompProfile = state.plan.seccomp.objects.find((o) => o.kind === 'SeccompProfile');
  if (seccompProfile && (await seccompOperatorInstalled(ctx))) {
    specs.push(objectPresentSpec(seccompProfile, `restrict ${workload} to the syscalls it was observed to use`));
  } else {
    warnings.push('security-profiles-operator is not installed (no SeccompProfile API): the seccomp profile is kept in this record and its pod-spec patch proposed, not applied');
  }
  return { analyzed, state, specs, warnings, seccompProfile };
}

/** What promoting would change, from the server's dry run, and whether this user may: nothing is written or logged. */
export async function previewPromotion(ctx: EnforcementContext, workload: string): Promise<StepPreview> {
  const { analyzed, state, specs, warnings } = await promotionChanges(ctx, workload);
  const actor = await ctx.whoAmI();
  const refusal = await whyNotAllowed(ctx.client, specs, actor.username);
  const dryRun = await applyChanges(ctx.client, specs, { dryRunOnly: true });
  const { allow, notes } = nodeAllowlist(state.plan.networkpolicy.objects, analyzed.inventory);
  const containers = workloadContainerIds(analyzed.inventory, workloadPods(analyzed.inventory, workload));
  return {
    allowed: refusal === null && dryRun.dryRun.ok,
    reason: refusal ?? (dryRun.dryRun.ok ? `${actor.username} may promote ${workload}` : `the API server's dry run refused it: ${dryRun.dryRun.objects.filter((o) => !o.ok).map((o) => o.error).join('; ')}`),
    changes: changesOf(specs, dryRun.dryRun),
    node: ctx.collector ? `switch the egress allowlist of ${allow.length} destination(s) from audit to enforce on ${containers.length} container(s)` : null,
    warnings: [...warnings, ...notes],
  };
}

export async function promote(ctx: EnforcementContext, workload: string) {
  const { analyzed, state, specs, warnings, seccompProfile } = await promotionChanges(ctx, workload);
  const actor = await ctx.whoAmI();

  const refusal = await whyNotAllowed(ctx.client, specs, actor.username);
  if (refusal) throw new EnforcementError(`${refusal}; ${NOTHING_CHANGED}`, 'not-allowed');
  const applied = await applyChanges(ctx.client, specs);
  if (applied.outcome === 'rejected') {
    const reasons = applied.dryRun.objects.filter((o) => !o.ok).map((o) => o.error).join('; ');
    throw new EnforcementError(`the API server's dry run refused the promotion of ${workload} (${reasons}); ${NOTHING_CHANGED}`, 'rejected');
  }
  let nodeStep;
  if (applied.outcome === 'applied' || applied.outcome === 'unchanged') {
    const { allow, notes } = nodeAllowlist(state.plan.networkpolicy.objects, analyzed.inventory);
    warnings.push(...notes);
    nodeStep = await setNodeMode(ctx, workloadContainerIds(analyzed.inventory, workloadPods(analyzed.inventory, workload)), 'enforce', allow);
  }
  const entry = await recordStep(ctx, {
    actor,
    action: 'enforce.promote',
    workload,
    pod: state.pod,
    parameters: {
      auditStartedAt: state.auditStartedAt,
      windowMs: state.windowMs,
      decisions: state.decisions,
      seccompProfile: state.plan.seccomp.seccomp ?? null,
      podSpecPatchProposed: seccompPatchProposal(workload, seccompProfile) ?? null,
    },
    applied,
    ...(nodeStep ? { nodeStep } : {}),
    warnings,
  });
  return { entry, applied, nodeStep };
}

/** The latest promotion of the workload on this API server that changed something and was not rolled back. */
export function promotionToRollBack(entries: ActionLogEntry[], server: string, workload: string): ActionLogEntry | undefined {
  const rolledBack = new Set(entries.filter((e) => e.action === 'enforce.rollback' && e.releases !== undefined && e.outcome !== 'rejected').map((e) => e.releases));
  return [...entries].reverse().find((e) => e.action === 'enforce.promote' && e.target.workload === workload && e.target.server === server && ['applied', 'partial', 'unchanged'].includes(e.outcome) && !rolledBack.has(e.seq));
}

function rollbackChanges(ctx: EnforcementContext, workload: string) {
  const promotion = promotionToRollBack(ctx.log.entries(), ctx.client.server, workload);
  if (!promotion) throw new EnforcementError(`the action log ${ctx.log.file} holds no promotion of ${workload} to roll back; ${NOTHING_CHANGED}`, 'nothing-to-roll-back');
  return { promotion, specs: [...promotion.objects].reverse().filter((o) => o.status === 'applied').map(undoSpec) };
}

/** What rolling back would restore, from the server's dry run, and whether this user may: nothing is written or logged. */
export async function previewRollback(ctx: EnforcementContext, workload: string): Promise<StepPreview> {
  const { promotion, specs } = rollbackChanges(ctx, workload);
  const actor = await ctx.whoAmI();
  const refusal = await whyNotAllowed(ctx.client, specs, actor.username);
  const dryRun = await applyChanges(ctx.client, specs, { dryRunOnly: true });
  return {
    allowed: refusal === null && dryRun.dryRun.ok,
    reason: refusal ?? (dryRun.dryRun.ok ? `${actor.username} may roll back promotion #${promotion.seq}` : `the API server's dry run refused it: ${dryRun.dryRun.objects.filter((o) => !o.ok).map((o) => o.error).join('; ')}`),
    changes: changesOf(specs, dryRun.dryRun),
    node: promotion.nodeStep?.status === 'applied' ? `put the egress allowlist of ${promotion.nodeStep.containerIds.length} container(s) back in audit mode` : null,
    warnings: [],
  };
}

export async function rollback(ctx: EnforcementContext, workload: string) {
  const { promotion, specs } = rollbackChanges(ctx, workload);
  const actor = await ctx.whoAmI();
  const refusal = await whyNotAllowed(ctx.client, specs, actor.username);
  if (refusal) throw new EnforcementError(`${refusal}; ${NOTHING_CHANGED}`, 'not-allowed');
  const applied = await applyChanges(ctx.client, specs);
  if (applied.outcome === 'rejected') throw new EnforcementError(`the API server's dry run refused the rollback of ${workload}; ${NOTHING_CHANGED}`, 'rejected');
  let nodeStep;
  if (promotion.nodeStep?.status === 'applied' && (applied.outcome === 'applied' || applied.outcome === 'unchanged')) {
    const analyzed = await analyze(ctx, analysisFor(ctx, workload));
    const state = ctx.store.get(workload);
    const { allow } = nodeAllowlist(state?.plan.networkpolicy.objects ?? [], analyzed.inventory);
    nodeStep = await setNodeMode(ctx, promotion.nodeStep.containerIds, 'audit', allow);
  }
  const entry = await recordStep(ctx, { actor, action: 'enforce.rollback', workload, pod: `${promotion.target.namespace}/${promotion.target.pod}`, parameters: { promotion: promotion.seq }, applied, ...(nodeStep ? { nodeStep } : {}), releases: promotion.seq });
  return { entry, applied, nodeStep };
}
