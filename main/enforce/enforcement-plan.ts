// The plan for one workload: its three generated policies (NetworkPolicy, seccomp, RBAC), their audit replay over
// the recorded history, and the blast radius before and after — all derived by the engine from the evidence.
import { analyzeCase } from '../case/case-engine.js';
import type { Engine } from '../../shared/engine/engine.js';
import type { GeneratedPolicy, PolicyKind, ReplayResult } from '../../shared/model/policy.js';
import type { BlastRadius } from '../../shared/model/workload-posture.js';
import { InventoryIndex } from '../../shared/engine/inventory-index.js';
import { EnforcementError, NOTHING_CHANGED, type AnalysisParams, type EnforcementContext } from './enforcement-context.js';
import type { LiveCase } from './live-case.js';

export const POLICY_KINDS: PolicyKind[] = ['networkpolicy', 'seccomp', 'rbac'];

export interface AnalyzedCase {
  engine: Engine;
  inventory: InventoryIndex;
  live: LiveCase;
}

export async function analyze(ctx: EnforcementContext, params: AnalysisParams = ctx.analysis): Promise<AnalyzedCase> {
  const read = await ctx.readCase();
  const live = params.since ? { ...read, events: eventsFrom(read.events, params.since) } : read;
  const engine = analyzeCase(live, { learningWindowMs: params.learningWindowMs, minBaselineEvents: 5, ...(params.learnUntil ? { learnUntil: params.learnUntil } : {}) });
  return { engine, inventory: new InventoryIndex(live.inventory), live };
}

/** Events at or after `since`, compared as instants (event times carry nanoseconds, `since` may carry none). */
export function eventsFrom<E extends { time: string }>(events: readonly E[], since: string): E[] {
  const from = Date.parse(since);
  return events.filter((e) => Date.parse(e.time) >= from);
}

/** The analysis a running audit was started with (every later step judges the same evidence), or the command's own. */
export function analysisFor(ctx: EnforcementContext, workload: string): AnalysisParams {
  const state = ctx.store.get(workload);
  return state?.auditStartedAt ? state.analysis : ctx.analysis;
}

/** Pods of the workload (`namespace/owner`), by name. */
export function workloadPods(inventory: InventoryIndex, workload: string): string[] {
  return inventory.objects
    .filter((o) => o.kind === 'Pod')
    .map((o) => `${o.metadata.namespace}/${o.metadata.name}`)
    .filter((key) => inventory.pod(key)?.workload === workload)
    .sort();
}

export const radiusTotal = (r: BlastRadius) => r.reachableServices + r.readableSecrets + r.identities + (r.internetReachable ? 1 : 0);

export interface EnforcementPlan {
  workload: string;
  pod: string;
  baseline: { state: 'learning' | 'ready'; readyAt: string; eventCount: number };
  policies: Record<PolicyKind, GeneratedPolicy>;
  replays: Record<PolicyKind, ReplayResult>;
  blastRadius: { before: BlastRadius; after: BlastRadius };
  warnings: string[];
}

export function replayPlan(engine: Engine, policies: Record<PolicyKind, GeneratedPolicy>): Record<PolicyKind, ReplayResult> {
  return {
    networkpolicy: engine.replayPolicy(policies.networkpolicy.objects),
    seccomp: engine.replayPolicy(policies.seccomp.objects),
    rbac: engine.replayPolicy(policies.rbac.objects),
  };
}

/**
 * A workload that made no API call gets an RBAC plan with nothing in it. Enforcing that means "this service account
 * may do nothing", so the plan says it explicitly — an empty Role bound to the service account — which replay can
 * judge against, a later accepted violation can widen, and promotion can apply.
 */
export function withExplicitSubject(policy: GeneratedPolicy, inventory: InventoryIndex): GeneratedPolicy {
  if (policy.objects.some((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) return policy;
  const pod = inventory.pod(policy.pod);
  const [namespace, owner] = policy.workload.split('/') as [string, string];
  const name = `vigil-baseline-${owner}`.slice(0, 63);
  const labels = { 'app.kubernetes.io/managed-by': 'vigil' };
  return {
    ...policy,
    objects: [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace, labels }, rules: [] },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name, namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name: pod?.serviceAccount ?? 'default', namespace }],
      },
    ],
    justification: [...policy.justification, { rule: `no Kubernetes API use was observed: ${namespace}/${pod?.serviceAccount ?? 'default'} gets no API access`, eventIds: [] }],
  };
}

export function planFor(analyzed: AnalyzedCase, workload: string): EnforcementPlan {
  const { engine, inventory, live } = analyzed;
  const pods = workloadPods(inventory, workload);
  if (pods.length === 0) throw new EnforcementError(`no pod of workload ${workload} is in the cluster; ${NOTHING_CHANGED}`, 'unknown-workload');
  const baseline = engine.snapshot().baselines.find((b) => b.workload === workload);
  if (!baseline) throw new EnforcementError(`no activity of ${workload} was observed yet, so there is no baseline to plan from; ${NOTHING_CHANGED}`, 'no-baseline');
  const pod = pods.find((p) => baseline.pods.includes(p)) ?? pods[0]!;
  const policies = Object.fromEntries(POLICY_KINDS.map((kind) => [kind, engine.generatePolicy(pod, kind)])) as Record<PolicyKind, GeneratedPolicy>;
  policies.rbac = withExplicitSubject(policies.rbac, inventory);
  const posture = engine.posture(workload)[0];
  const warnings = [...live.gaps, ...POLICY_KINDS.flatMap((k) => policies[k].warnings)];
  if (baseline.state !== 'ready') warnings.unshift(`the baseline of ${workload} is still learning (ready at ${baseline.readyAt}): the plan may miss legitimate behaviour`);
  return {
    workload,
    pod,
    baseline: { state: baseline.state, readyAt: baseline.readyAt, eventCount: baseline.eventCount },
    policies,
    replays: replayPlan(engine, policies),
    blastRadius: posture
      ? { before: posture.blastRadius.current, after: posture.blastRadius.withGeneratedPolicies }
      : { before: emptyRadius(), after: emptyRadius() },
    warnings,
  };
}

function emptyRadius(): BlastRadius {
  return { reachableServices: 0, internetReachable: false, readableSecrets: 0, identities: 0 };
}
