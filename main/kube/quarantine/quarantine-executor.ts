// Soft and hard quarantine of a pod, and their release. Every action: resolve the pod (clear errors for an unknown
// pod, a forbidden namespace, a timeout), plan the changes from the cluster as it is, ask the API server whether the
// user may make each (SelfSubjectAccessReview), dry-run them all server-side, apply, read back, take the node-level
// step, and append one hash-chained record to the action log — including a rejected or rolled-back attempt.
import type { ActionKind, ActionLogEntry, ActionRecord, Actor, NodeStep, ObjectChange, QuarantinePeer } from '../../../shared/model/action.js';
import type { KubeObject } from '../../../shared/model/inventory.js';
import type { ActionLogFile } from '../action-log-file.js';
import { AccessReviewer, type PermissionCheck } from '../access/access-review.js';
import { whoAmI } from '../access/whoami.js';
import { permissionsForChanges } from '../access/change-permissions.js';
import type { KubeClient } from '../kube-client.js';
import { KubeApiError, KubeTimeoutError, KubeUnreachableError } from '../kube-errors.js';
import { KINDS, collectionPath } from '../resource-kinds.js';
import { applyChanges } from './apply-changes.js';
import type { NodeEnforcer } from './node-enforcer.js';
import { podContainerIds } from './node-enforcer.js';
import { readCurrent, type ChangeSpec, type WriteHooks } from './object-change.js';
import { policiesStillAllowing } from './policy-analysis.js';
import {
  QUARANTINE_LABEL,
  QUARANTINE_POD_LABEL,
  cordonSpec,
  hardPolicy,
  podLabelSpec,
  policyAbsentSpec,
  policyName,
  policyPresentSpec,
  revokeSubjectSpec,
  scaleToZeroSpec,
  softPolicy,
  subjectIsServiceAccount,
} from './quarantine-objects.js';
import { undoSpec } from './undo.js';

/** A failure before anything was changed: the message says what happened and that nothing changed. */
export class QuarantineError extends Error {
  override name = 'QuarantineError';
  constructor(
    message: string,
    readonly code: 'unknown-pod' | 'forbidden' | 'not-allowed' | 'timeout' | 'unreachable' | 'refused' | 'nothing-to-release',
  ) {
    super(message);
  }
}

export interface QuarantineTarget {
  namespace: string;
  pod: string;
}

export interface QuarantineOptions {
  /** Soft: the workload's observed baseline (egress peers); DNS is always allowed. */
  egress?: QuarantinePeer[];
  /** Soft: allowed sources; when absent, the soft policy leaves ingress as it was. */
  ingress?: QuarantinePeer[];
  /** Hard: also cordon the pod's node. */
  cordon?: boolean;
  /** Hard: also scale the pod's owner Deployment or StatefulSet to zero (this ends the pod). */
  scaleOwnerToZero?: boolean;
  dryRun?: boolean;
}

export interface ExecutorContext {
  client: KubeClient;
  clusterId: string;
  log: ActionLogFile;
  nodeEnforcer: NodeEnforcer;
  hooks?: WriteHooks;
  now?: () => Date;
}

export interface ActionReport {
  entry: ActionLogEntry;
  /** One line for a person: what was done. */
  summary: string;
}

const NOTHING_CHANGED = 'nothing was changed';

/** Turns a read failure into the clear error a responder needs. */
function readFailure(error: unknown, ctx: ExecutorContext, target: QuarantineTarget, what: string): Error {
  const context = ctx.client.contextName;
  if (error instanceof KubeApiError && error.isForbidden) {
    return new QuarantineError(`context '${context}' may not ${what} in namespace ${target.namespace} (the API server said: ${error.apiStatus.message ?? 'forbidden'}); ${NOTHING_CHANGED}`, 'forbidden');
  }
  if (error instanceof KubeTimeoutError) return new QuarantineError(`the API server of context '${context}' did not answer within ${error.timeoutMs} ms while Vigil tried to ${what}; ${NOTHING_CHANGED}`, 'timeout');
  if (error instanceof KubeUnreachableError) return new QuarantineError(`cannot reach the API server of context '${context}' (${error.cause.message}); ${NOTHING_CHANGED}`, 'unreachable');
  return error as Error;
}

async function readPod(ctx: ExecutorContext, target: QuarantineTarget): Promise<KubeObject> {
  let pod: KubeObject | null;
  try {
    pod = await readCurrent(ctx.client, { kind: KINDS.Pod, namespace: target.namespace, name: target.pod });
  } catch (error) {
    throw readFailure(error, ctx, target, 'read pods');
  }
  if (!pod) throw new QuarantineError(`pod ${target.namespace}/${target.pod} does not exist in context '${ctx.client.contextName}'; ${NOTHING_CHANGED}`, 'unknown-pod');
  return pod;
}

async function listObjects(ctx: ExecutorContext, path: string, target: QuarantineTarget, what: string): Promise<KubeObject[]> {
  try {
    const list = await ctx.client.request<{ items?: KubeObject[] }>('GET', path);
    return list.items ?? [];
  } catch (error) {
    throw readFailure(error, ctx, target, what);
  }
}

/** Refuses when the pod's controller selects on a label Vigil would set (it never should; this makes sure). */
async function assertLabelsSafe(ctx: ExecutorContext, pod: KubeObject, target: QuarantineTarget): Promise<void> {
  const owner = pod.metadata.ownerReferences?.find((o) => (o as { controller?: boolean }).controller);
  if (!owner) return;
  const kind = (KINDS as Record<string, (typeof KINDS)[keyof typeof KINDS]>)[owner.kind];
  if (!kind) return;
  let controller: KubeObject | null;
  try {
    controller = await readCurrent(ctx.client, { kind, namespace: target.namespace, name: owner.name });
  } catch (error) {
    throw readFailure(error, ctx, target, `read the pod's ${owner.kind}`);
  }
  const selector = (controller?.spec as { selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string }[] } } | undefined)?.selector;
  const keys = [...Object.keys(selector?.matchLabels ?? {}), ...(selector?.matchExpressions ?? []).map((e) => e.key)];
  const clash = keys.filter((k) => k === QUARANTINE_LABEL || k === QUARANTINE_POD_LABEL);
  if (clash.length > 0) {
    throw new QuarantineError(`${owner.kind} ${owner.name} selects pods on ${clash.join(', ')}; labelling the pod would orphan it; ${NOTHING_CHANGED}`, 'refused');
  }
}

/** The Deployment (through its ReplicaSet) or StatefulSet that owns the pod. */
async function podOwner(ctx: ExecutorContext, pod: KubeObject, target: QuarantineTarget): Promise<{ kind: 'Deployment' | 'StatefulSet'; namespace: string; name: string }> {
  const owner = pod.metadata.ownerReferences?.find((o) => (o as { controller?: boolean }).controller);
  if (owner?.kind === 'StatefulSet') return { kind: 'StatefulSet', namespace: target.namespace, name: owner.name };
  if (owner?.kind === 'ReplicaSet') {
    const replicaSet = await readCurrent(ctx.client, { kind: KINDS.ReplicaSet, namespace: target.namespace, name: owner.name }).catch((error: unknown) => {
      throw readFailure(error, ctx, target, 'read the pod\'s ReplicaSet');
    });
    const deployment = replicaSet?.metadata.ownerReferences?.find((o) => o.kind === 'Deployment');
    if (deployment) return { kind: 'Deployment', namespace: target.namespace, name: deployment.name };
  }
  throw new QuarantineError(`pod ${target.namespace}/${target.pod} has no Deployment or StatefulSet owner to scale to zero; ${NOTHING_CHANGED}`, 'refused');
}

async function assertAllowed(ctx: ExecutorContext, specs: ChangeSpec[], actor: Actor, target: QuarantineTarget): Promise<void> {
  let checks: PermissionCheck[];
  try {
    checks = await permissionsForChanges(ctx.client, specs);
  } catch (error) {
    if (error instanceof QuarantineError) throw error;
    throw readFailure(error, ctx, target, 'read the objects the action changes');
  }
  const decision = await new AccessReviewer(ctx.client).decide(checks, actor.username);
  if (!decision.allowed) throw new QuarantineError(`${decision.reason}; ${NOTHING_CHANGED}`, 'not-allowed');
}

interface Planned {
  specs: ChangeSpec[];
  warnings: string[];
  nodeRequest?: { mode: 'egress-allowlist' | 'deny-all'; allow: QuarantinePeer[] };
}

async function planQuarantine(ctx: ExecutorContext, mode: 'soft' | 'hard', pod: KubeObject, target: QuarantineTarget, options: QuarantineOptions): Promise<Planned> {
  const warnings: string[] = [];
  if (mode === 'soft') {
    if (pod.metadata.labels?.[QUARANTINE_LABEL] === 'hard') {
      throw new QuarantineError(`pod ${target.namespace}/${target.pod} is under hard quarantine; release it before a soft quarantine; ${NOTHING_CHANGED}`, 'refused');
    }
    const egress = options.egress ?? [];
    if (egress.length === 0) warnings.push('no baseline destinations were given: the soft quarantine allows DNS only');
    if (!options.ingress) warnings.push('no ingress baseline was given: the soft quarantine leaves incoming traffic as it was');
    const specs = [
      policyPresentSpec(softPolicy(pod, egress, options.ingress), 'allow only the observed baseline and DNS'),
      podLabelSpec(pod, 'soft'),
    ];
    return { specs, warnings, nodeRequest: { mode: 'egress-allowlist', allow: egress } };
  }
  const spec = pod.spec as { serviceAccountName?: string; nodeName?: string } | undefined;
  const serviceAccount = spec?.serviceAccountName || 'default';
  const specs: ChangeSpec[] = [
    policyPresentSpec(hardPolicy(pod), 'deny all traffic of the pod'),
    policyAbsentSpec(target.namespace, policyName('soft', target.pod), 'stop the soft quarantine policy allowing the baseline (policies are additive)'),
    podLabelSpec(pod, 'hard'),
  ];
  const rbacPath = (plural: string) => `/apis/rbac.authorization.k8s.io/v1/${plural}`;
  const bindings = [
    ...(await listObjects(ctx, rbacPath('rolebindings'), target, 'list role bindings')).map((b): KubeObject => ({ ...b, kind: 'RoleBinding' })),
    ...(await listObjects(ctx, rbacPath('clusterrolebindings'), target, 'list cluster role bindings')).map((b): KubeObject => ({ ...b, kind: 'ClusterRoleBinding' })),
  ];
  for (const binding of bindings) {
    const subjects = ((binding as KubeObject).subjects as { kind?: string; name?: string; namespace?: string }[] | undefined) ?? [];
    if (subjects.some((s) => subjectIsServiceAccount(s, binding.metadata.namespace, target.namespace, serviceAccount))) {
      specs.push(revokeSubjectSpec(binding, target.namespace, serviceAccount));
    }
    const groups = subjects.filter((s) => s.kind === 'Group' && ['system:serviceaccounts', `system:serviceaccounts:${target.namespace}`].includes(s.name ?? ''));
    for (const group of groups) {
      warnings.push(`${binding.kind} ${binding.metadata.name} grants group ${group.name}, which includes the pod's service account: not revoked, since that would affect every service account in it`);
    }
  }
  if (options.cordon) {
    if (!spec?.nodeName) throw new QuarantineError(`pod ${target.namespace}/${target.pod} is not scheduled on a node, so there is none to cordon; ${NOTHING_CHANGED}`, 'refused');
    specs.push(cordonSpec(spec.nodeName));
  }
  if (options.scaleOwnerToZero) specs.push(scaleToZeroSpec(await podOwner(ctx, pod, target)));
  return { specs, warnings, nodeRequest: { mode: 'deny-all', allow: [] } };
}

async function stillAllowing(ctx: ExecutorContext, pod: KubeObject, target: QuarantineTarget): Promise<string[]> {
  const policies = await listObjects(ctx, collectionPath(KINDS.NetworkPolicy, target.namespace), target, 'list network policies');
  return policiesStillAllowing(pod, policies).map((p) => p.words);
}

function summarise(action: ActionKind, target: QuarantineTarget, outcome: ActionRecord['outcome'], objects: ObjectChange[]): string {
  const counts = (status: ObjectChange['status']) => objects.filter((o) => o.status === status).length;
  const what = `${action} of ${target.namespace}/${target.pod}`;
  switch (outcome) {
    case 'applied':
      return `${what}: applied ${counts('applied')} change(s), ${counts('unchanged')} already in place`;
    case 'unchanged':
      return `${what}: already in place, nothing changed`;
    case 'dry-run':
      return `${what}: the server accepted the dry run; nothing was applied (--dry-run)`;
    case 'rejected':
      return `${what}: the server's dry run refused it; nothing was applied`;
    case 'rolled-back':
      return `${what}: failed part-way; the ${counts('rolled-back')} applied change(s) were rolled back`;
    case 'partial':
      return `${what}: failed part-way and ${counts('rollback-failed')} change(s) could not be rolled back — see each object`;
  }
}

async function record(
  ctx: ExecutorContext,
  base: Pick<ActionRecord, 'actor' | 'action' | 'parameters' | 'releases'> & { pod: KubeObject | null; target: QuarantineTarget },
  applied: Awaited<ReturnType<typeof applyChanges>>,
  warnings: string[],
  nodeStep: NodeStep | undefined,
): Promise<ActionReport> {
  let outcome = applied.outcome;
  if (nodeStep?.status === 'failed' && (outcome === 'applied' || outcome === 'unchanged')) outcome = 'partial';
  const entryRecord: ActionRecord = {
    time: (ctx.now?.() ?? new Date()).toISOString(),
    actor: base.actor,
    action: base.action,
    target: {
      clusterId: ctx.clusterId,
      context: ctx.client.contextName,
      server: ctx.client.server,
      namespace: base.target.namespace,
      pod: base.target.pod,
      ...(base.pod?.metadata.uid ? { podUid: base.pod.metadata.uid } : {}),
    },
    parameters: base.parameters,
    dryRun: applied.dryRun,
    outcome,
    objects: applied.objects,
    ...(nodeStep ? { nodeStep } : {}),
    verification: applied.verification,
    warnings,
    ...(base.releases !== undefined ? { releases: base.releases } : {}),
  };
  const entry = await ctx.log.append(entryRecord);
  let summary = summarise(base.action, base.target, outcome, applied.objects);
  if (nodeStep) summary += `; node-level step ${nodeStep.status}${nodeStep.status === 'applied' ? '' : ` (${nodeStep.detail})`}`;
  return { entry, summary };
}

export async function quarantinePod(ctx: ExecutorContext, mode: 'soft' | 'hard', target: QuarantineTarget, options: QuarantineOptions = {}): Promise<ActionReport> {
  const pod = await readPod(ctx, target);
  const actor = await whoAmI(ctx.client).catch((error: unknown) => {
    throw readFailure(error, ctx, target, 'ask who it is (SelfSubjectReview)');
  });
  await assertLabelsSafe(ctx, pod, target);
  const plan = await planQuarantine(ctx, mode, pod, target, options);
  await assertAllowed(ctx, plan.specs, actor, target);
  const applied = await applyChanges(ctx.client, plan.specs, { dryRunOnly: options.dryRun, hooks: ctx.hooks });
  const warnings = [...plan.warnings];
  if (applied.outcome === 'applied' || applied.outcome === 'unchanged' || applied.outcome === 'dry-run') warnings.push(...(await stillAllowing(ctx, pod, target)));
  let nodeStep: NodeStep | undefined;
  if ((applied.outcome === 'applied' || applied.outcome === 'unchanged') && plan.nodeRequest) {
    nodeStep = await ctx.nodeEnforcer.apply({ node: (pod.spec as { nodeName?: string })?.nodeName ?? '', containerIds: podContainerIds(pod), ...plan.nodeRequest });
  }
  const parameters = {
    mode,
    egress: options.egress ?? [],
    ...(options.ingress ? { ingress: options.ingress } : {}),
    cordon: options.cordon ?? false,
    scaleOwnerToZero: options.scaleOwnerToZero ?? false,
    dryRun: options.dryRun ?? false,
  };
  return record(ctx, { actor, action: mode === 'soft' ? 'quarantine.soft' : 'quarantine.hard', parameters, pod, target }, applied, warnings, nodeStep);
}

/** Changes a quarantine left in the cluster: applied ones, and those whose rollback failed. */
const stillInEffect = (change: ObjectChange) => change.status === 'applied' || change.status === 'rollback-failed';

const sameTarget = (entry: ActionLogEntry, server: string, target: QuarantineTarget) =>
  entry.target.server === server && entry.target.namespace === target.namespace && entry.target.pod === target.pod;

/** The latest quarantine of this pod (on this API server) that changed something and is not yet released. */
export function quarantineToRelease(entries: ActionLogEntry[], server: string, target: QuarantineTarget): ActionLogEntry | undefined {
  const released = new Set(entries.filter((e) => e.action === 'quarantine.release' && ['applied', 'unchanged', 'partial'].includes(e.outcome) && e.releases !== undefined).map((e) => e.releases));
  return [...entries]
    .reverse()
    .find((e) => e.action !== 'quarantine.release' && sameTarget(e, server, target) && ['applied', 'partial'].includes(e.outcome) && !released.has(e.seq) && e.objects.some(stillInEffect));
}

export async function releasePod(ctx: ExecutorContext, target: QuarantineTarget, options: { dryRun?: boolean } = {}): Promise<ActionReport> {
  const entry = quarantineToRelease(ctx.log.entries(), ctx.client.server, target);
  if (!entry) {
    throw new QuarantineError(`the action log ${ctx.log.file} holds no unreleased quarantine of ${target.namespace}/${target.pod} on ${ctx.client.server}; ${NOTHING_CHANGED}`, 'nothing-to-release');
  }
  const actor = await whoAmI(ctx.client).catch((error: unknown) => {
    throw readFailure(error, ctx, target, 'ask who it is (SelfSubjectReview)');
  });
  const pod = await readCurrent(ctx.client, { kind: KINDS.Pod, namespace: target.namespace, name: target.pod }).catch((error: unknown) => {
    throw readFailure(error, ctx, target, 'read pods');
  });
  // Undo in reverse order exactly what that entry applied, from the objects it saved.
  const specs = [...entry.objects].reverse().filter(stillInEffect).map(undoSpec);
  await assertAllowed(ctx, specs, actor, target);
  const applied = await applyChanges(ctx.client, specs, { dryRunOnly: options.dryRun, hooks: ctx.hooks });
  let nodeStep: NodeStep | undefined;
  if (entry.nodeStep?.status === 'applied' && (applied.outcome === 'applied' || applied.outcome === 'unchanged')) {
    nodeStep = await ctx.nodeEnforcer.release({ node: (pod?.spec as { nodeName?: string } | undefined)?.nodeName ?? '', containerIds: entry.nodeStep.containerIds });
  }
  const warnings = pod ? [] : [`pod ${target.namespace}/${target.pod} no longer exists; its other objects were restored`];
  return record(ctx, { actor, action: 'quarantine.release', parameters: { dryRun: options.dryRun ?? false }, releases: entry.seq, pod, target }, applied, warnings, nodeStep);
}
