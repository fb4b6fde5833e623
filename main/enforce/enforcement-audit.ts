// Audit mode: the plan runs without blocking — the collector counts what its allowlist would drop, and the seccomp
// profile and RBAC Role are checked live against the syscalls and API calls observed since the audit started. Every
// would-be violation is listed with its evidence and gets a decision: accepted into the plan, or marked suspicious.
import type { RuntimeEvent } from '../../shared/model/event.js';
import type { PolicyKind } from '../../shared/model/policy.js';
import { classifyPolicy, replay } from '../../shared/engine/policy-replay.js';
import { actionAllowed, workloadLadder, type WorkloadLadder } from '../../shared/enforcement/ladder.js';
import { collectViolations, latestDecisions, type AuditViolation, type ViolationDecision } from '../../shared/enforcement/violations.js';
import { promotionGate, type PromotionGate } from '../../shared/enforcement/promotion-gate.js';
import { amendPlan, AmendmentError, type ServiceResolver } from '../../shared/enforcement/plan-amendment.js';
import { AccessReviewer } from '../kube/access/access-review.js';
import { EnforcementError, NOTHING_CHANGED, type EnforcementContext } from './enforcement-context.js';
import { blastRadiusUnderPlan } from '../../shared/engine/posture.js';
import { analysisFor, analyze, eventsFrom, planFor, POLICY_KINDS, replayPlan, workloadPods, type AnalyzedCase, type EnforcementPlan } from './enforcement-plan.js';
import type { WorkloadEnforcementState } from './enforcement-store.js';
import { ladderRecords } from './ladder-records.js';
import { nodeAllowlist } from './node-allowlist.js';
import { releaseNode, setNodeMode, workloadContainerIds } from './node-step.js';
import { recordStep } from './enforcement-log.js';
import { enforcementPermissions } from './enforcement-access.js';
import type { StepPreview } from './step-preview.js';

/** ClusterIP → the pods behind the Service, from the inventory (for widening a NetworkPolicy correctly). */
function serviceResolver(analyzed: AnalyzedCase): ServiceResolver {
  return (ip, port) => {
    const service = analyzed.inventory.serviceByIp(ip);
    if (!service?.selector) return undefined;
    const servicePort = service.ports.find((p) => p.port === port);
    const targetPort = typeof servicePort?.targetPort === 'number' ? servicePort.targetPort : Number(servicePort?.targetPort ?? port);
    return { namespace: service.namespace, selector: service.selector, targetPort: Number.isFinite(targetPort) ? targetPort : port };
  };
}

export function ladderOf(ctx: EnforcementContext, analyzed: AnalyzedCase, workload: string): WorkloadLadder {
  const baseline = analyzed.engine.snapshot().baselines.find((b) => b.workload === workload);
  return workloadLadder(workload, baseline, ladderRecords(ctx.log.entries(), ctx.client.server));
}

/**
 * The plan of a workload: generated from its baseline now, or — while its audit runs — the plan under audit, widened
 * by the violations accepted into it (with their replay over the recorded history).
 */
export async function plan(ctx: EnforcementContext, workload: string): Promise<EnforcementPlan & { ladder: WorkloadLadder; source: 'generated' | 'audited' }> {
  const state = ctx.store.get(workload);
  const analyzed = await analyze(ctx, analysisFor(ctx, workload));
  const generated = planFor(analyzed, workload);
  const ladder = ladderOf(ctx, analyzed, workload);
  if (!state?.auditStartedAt) return { ...generated, ladder, source: 'generated' };
  // The "after" blast radius is the audited plan's, with the accepted violations in it, not the generated one's.
  const pod = analyzed.inventory.pod(generated.pod);
  const blastRadius = pod
    ? { before: generated.blastRadius.before, after: blastRadiusUnderPlan(analyzed.inventory, pod, state.plan.networkpolicy.objects, state.plan.rbac.objects) }
    : generated.blastRadius;
  return { ...generated, policies: state.plan, replays: replayPlan(analyzed.engine, state.plan), blastRadius, ladder, source: 'audited' };
}

async function assertMayEnforce(ctx: EnforcementContext, namespace: string, who: string, what: string): Promise<void> {
  const decision = await new AccessReviewer(ctx.client).decide(
    [{ verb: 'create', group: 'networking.k8s.io', resource: 'networkpolicies', namespace, why: `${what} (only someone who may apply the policies may start their audit)` }],
    who,
  );
  if (!decision.allowed) throw new EnforcementError(`${decision.reason}; ${NOTHING_CHANGED}`, 'not-allowed');
}

export async function startAudit(ctx: EnforcementContext, workload: string, windowMs: number) {
  const analyzed = await analyze(ctx, ctx.analysis);
  const ladder = ladderOf(ctx, analyzed, workload);
  const allowed = actionAllowed(ladder, 'enforce.audit');
  if (!allowed.allowed) throw new EnforcementError(`${allowed.reason}; ${NOTHING_CHANGED}`, ladder.step === 'observing' ? 'not-ready' : 'wrong-step');
  const proposed = planFor(analyzed, workload);
  const actor = await ctx.whoAmI();
  await assertMayEnforce(ctx, workload.split('/')[0]!, actor.username, `start the audit of ${workload}`);
  const pods = workloadPods(analyzed.inventory, workload);
  const { allow, notes } = nodeAllowlist(proposed.policies.networkpolicy.objects, analyzed.inventory);
  const nodeStep = await setNodeMode(ctx, workloadContainerIds(analyzed.inventory, pods), 'audit', allow);
  const startedAt = ctx.now().toISOString();
  const state: WorkloadEnforcementState = { workload, pod: proposed.pod, plan: proposed.policies, startPlan: proposed.policies, auditStartedAt: startedAt, windowMs, analysis: ctx.analysis, decisions: [] };
  ctx.store.put(state);
  const entry = await recordStep(ctx, {
    actor,
    action: 'enforce.audit',
    workload,
    pod: proposed.pod,
    parameters: { windowMs, auditStartedAt: startedAt, analysis: ctx.analysis, policies: POLICY_KINDS.map((k) => proposed.policies[k].objects.map((o) => `${o.kind} ${o.metadata.name}`)).flat(), nodeAllowlist: allow },
    nodeStep,
    warnings: [...proposed.warnings, ...notes],
  });
  return { entry, state, nodeStep, plan: proposed };
}

/** Ends an audit without promoting: the node stops counting, the plan and decisions are kept for the record. */
export async function stopAudit(ctx: EnforcementContext, workload: string) {
  const state = stateInAudit(ctx, workload);
  const analyzed = await analyze(ctx, state.analysis);
  const ladder = ladderOf(ctx, analyzed, workload);
  const allowed = actionAllowed(ladder, 'enforce.stop-audit');
  if (!allowed.allowed) throw new EnforcementError(`${allowed.reason}; ${NOTHING_CHANGED}`, 'wrong-step');
  const actor = await ctx.whoAmI();
  await assertMayEnforce(ctx, workload.split('/')[0]!, actor.username, `stop the audit of ${workload}`);
  const containerIds = workloadContainerIds(analyzed.inventory, workloadPods(analyzed.inventory, workload));
  const nodeStep = await releaseNode(ctx, containerIds);
  const { auditStartedAt: _ended, ...rest } = state;
  ctx.store.put(rest);
  const entry = await recordStep(ctx, { actor, action: 'enforce.stop-audit', workload, pod: state.pod, parameters: { auditStartedAt: state.auditStartedAt }, nodeStep });
  return { entry, nodeStep };
}

export interface AuditReport {
  workload: string;
  ladder: WorkloadLadder;
  auditStartedAt: string;
  windowMs: number;
  /** `covered`: no decision of its own, but a rule accepted for another violation allows it now. */
  violations: (AuditViolation & { decision?: ViolationDecision; covered?: boolean })[];
  gate: PromotionGate;
  eventsConsidered: number;
}

function stateInAudit(ctx: EnforcementContext, workload: string): WorkloadEnforcementState & { auditStartedAt: string } {
  const state = ctx.store.get(workload);
  if (!state?.auditStartedAt) throw new EnforcementError(`${workload} has no audit running (start one with \`vigil enforce audit ${workload} --start\`); ${NOTHING_CHANGED}`, 'wrong-step');
  return state as WorkloadEnforcementState & { auditStartedAt: string };
}

/**
 * The violations of the audit: everything the plan as it started would have refused since then (stable: an accepted
 * violation stays listed with its decision), and which of them the plan as it is now still refuses.
 */
export function violationsSince(analyzed: AnalyzedCase, state: WorkloadEnforcementState & { auditStartedAt: string }): { violations: AuditViolation[]; stillRefused: Set<string>; considered: number; events: RuntimeEvent[] } {
  const pods = new Set(workloadPods(analyzed.inventory, state.workload));
  const events = eventsFrom(analyzed.live.events, state.auditStartedAt);
  const against = (plan: WorkloadEnforcementState['plan']) => POLICY_KINDS.map((kind: PolicyKind) => ({ kind, result: replay(classifyPolicy(plan[kind].objects), events, analyzed.inventory, state.workload) }));
  const verdicts = events.filter((e) => e.kind === 'enforce.verdict' && e.pod && pods.has(`${e.pod.namespace}/${e.pod.name}`));
  const current = against(state.plan);
  const atStart = state.startPlan ? against(state.startPlan) : current;
  return {
    violations: collectViolations(atStart, verdicts),
    stillRefused: new Set(collectViolations(current, verdicts).map((v) => v.id)),
    considered: current.reduce((n, r) => n + r.result.eventsConsidered, 0),
    events,
  };
}

export async function auditReport(ctx: EnforcementContext, workload: string, analyzed?: AnalyzedCase): Promise<AuditReport> {
  const state = stateInAudit(ctx, workload);
  analyzed ??= await analyze(ctx, state.analysis);
  const { violations, stillRefused, considered } = violationsSince(analyzed, state);
  const decisions = latestDecisions(state.decisions);
  return {
    workload,
    ladder: ladderOf(ctx, analyzed, workload),
    auditStartedAt: state.auditStartedAt,
    windowMs: state.windowMs,
    violations: violations.map((v) => (decisions.has(v.id) ? { ...v, decision: decisions.get(v.id)! } : stillRefused.has(v.id) ? v : { ...v, covered: true })),
    // Only what the plan would still refuse can hold promotion: a violation an accepted rule covers is resolved.
    gate: promotionGate({ auditStartedAt: state.auditStartedAt, now: ctx.now().toISOString(), windowMs: state.windowMs, violations: violations.filter((v) => stillRefused.has(v.id)), decisions: [...decisions.values()] }),
    eventsConsidered: considered,
  };
}

/**
 * Accept violations into the plan (they were legitimate) or mark them suspicious (the policy will block them). All
 * the named violations are checked before anything is stored: one unknown id and nothing changes.
 */
export async function decide(ctx: EnforcementContext, workload: string, violationIds: string[], decision: 'accepted' | 'suspicious', reason: string) {
  const state = stateInAudit(ctx, workload);
  const analyzed = await analyze(ctx, state.analysis);
  const { violations, events } = violationsSince(analyzed, state);
  const chosen = violationIds.map((id) => {
    const violation = violations.find((v) => v.id === id);
    if (!violation) throw new EnforcementError(`no violation ${id} in the audit of ${workload} (see \`vigil enforce audit ${workload}\`); ${NOTHING_CHANGED}`, 'unknown-violation');
    return violation;
  });
  const actor = await ctx.whoAmI();
  await assertMayEnforce(ctx, workload.split('/')[0]!, actor.username, `decide on violations of ${workload}`);
  let plan = state.plan;
  if (decision === 'accepted') {
    for (const violation of chosen) {
      const evidence = violation.eventIds.map((id) => events.find((e) => e.id === id)).find((e) => e !== undefined);
      if (!evidence) throw new EnforcementError(`the events behind ${violation.id} are no longer available, so the plan cannot be widened from evidence; ${NOTHING_CHANGED}`, 'unknown-violation');
      // A node-level audit verdict widens the NetworkPolicy, like the replayed connection it stands for.
      try {
        plan = { ...plan, [violation.kind]: amendPlan(plan[violation.kind], evidence, serviceResolver(analyzed)) };
      } catch (error) {
        if (error instanceof AmendmentError) throw new EnforcementError(`${violation.id}: ${error.message}; ${NOTHING_CHANGED}`, 'rejected');
        throw error;
      }
    }
  }
  let nodeStep;
  if (decision === 'accepted' && chosen.some((v) => v.kind === 'networkpolicy')) {
    const { allow } = nodeAllowlist(plan.networkpolicy.objects, analyzed.inventory);
    nodeStep = await setNodeMode(ctx, workloadContainerIds(analyzed.inventory, workloadPods(analyzed.inventory, workload)), 'audit', allow);
  }
  const at = ctx.now().toISOString();
  const made: ViolationDecision[] = chosen.map((v) => ({ violationId: v.id, decision, by: actor.username, at, reason }));
  ctx.store.put({ ...state, plan, decisions: [...state.decisions, ...made] });
  const entry = await recordStep(ctx, {
    actor,
    action: 'enforce.decide',
    workload,
    pod: state.pod,
    parameters: { decision, reason, violations: chosen.map((v) => ({ id: v.id, what: v.what, kind: v.kind, eventIds: v.eventIds })) },
    ...(nodeStep ? { nodeStep } : {}),
  });
  return { entry, decisions: made, violations: chosen };
}

/** At most this many events are sent with each violation: enough to read what happened, the ids name the rest. */
const EVIDENCE_PER_VIOLATION = 3;

/** The audit report with the first events behind each violation (for a reader without the case open). */
export async function auditWithEvidence(ctx: EnforcementContext, workload: string) {
  const state = ctx.store.get(workload);
  const analyzed = await analyze(ctx, state?.auditStartedAt ? state.analysis : ctx.analysis);
  if (!state?.auditStartedAt) return { workload, ladder: ladderOf(ctx, analyzed, workload), audit: null };
  const report = await auditReport(ctx, workload, analyzed);
  const wanted = new Set(report.violations.flatMap((v) => v.eventIds.slice(0, EVIDENCE_PER_VIOLATION)));
  const byId = new Map(analyzed.live.events.filter((e) => wanted.has(e.id)).map((e) => [e.id, e]));
  return {
    workload,
    ladder: report.ladder,
    audit: {
      auditStartedAt: report.auditStartedAt,
      windowMs: report.windowMs,
      eventsConsidered: report.eventsConsidered,
      gate: report.gate,
      violations: report.violations.map((v) => ({ ...v, evidence: v.eventIds.slice(0, EVIDENCE_PER_VIOLATION).flatMap((id) => byId.get(id) ?? []) })),
    },
  };
}

/** Whether the audit of `workload` can be started or stopped by this user now, and what it would do at the node. */
export async function previewAuditStep(ctx: EnforcementContext, workload: string, step: 'start' | 'stop'): Promise<StepPreview> {
  const state = ctx.store.get(workload);
  const analyzed = await analyze(ctx, step === 'stop' && state?.auditStartedAt ? state.analysis : ctx.analysis);
  const ladder = ladderOf(ctx, analyzed, workload);
  const allowed = actionAllowed(ladder, step === 'start' ? 'enforce.audit' : 'enforce.stop-audit');
  const actor = await ctx.whoAmI();
  const namespace = workload.split('/')[0]!;
  const access = await new AccessReviewer(ctx.client).decide(enforcementPermissions(namespace).audit, actor.username);
  const containers = workloadContainerIds(analyzed.inventory, workloadPods(analyzed.inventory, workload)).length;
  let node: string | null = null;
  const warnings: string[] = [];
  if (step === 'start' && allowed.allowed) {
    const proposed = planFor(analyzed, workload);
    const { allow, notes } = nodeAllowlist(proposed.policies.networkpolicy.objects, analyzed.inventory);
    node = `count (not drop) what an egress allowlist of ${allow.length} destination(s) would refuse, on ${containers} container(s); seccomp and RBAC are checked live against the plan`;
    warnings.push(...proposed.warnings, ...notes);
  }
  if (step === 'stop' && allowed.allowed) node = `stop the node-level audit on ${containers} container(s); the plan and the decisions are kept`;
  if (ctx.collector === undefined && node) warnings.push('no collector is connected for this cluster: the node-level part will be recorded as unavailable');
  return {
    allowed: allowed.allowed && access.allowed,
    reason: !allowed.allowed ? allowed.reason : access.allowed ? `${actor.username} may ${step} the audit of ${workload}` : access.reason,
    changes: [],
    node,
    warnings,
  };
}

