// The Enforcement view's calls, as runtime schemas: contract.ts lists them, the gateway (main/gateway/
// enforcement-handlers.ts) answers them from main/enforce, and the renderer reads exactly these shapes. Every call
// names the cluster context the way Response does (the id and source `clusters.list` gave).
import { z } from 'zod';
import { runtimeEventSchema } from '../model/event.js';
import { kubeObjectSchema } from '../model/inventory.js';
import { actionLogEntrySchema, changeOpSchema } from '../model/action.js';

export const enforcementContextRef = { contextId: z.string().min(1).max(128), source: z.enum(['kubeconfig', 'lab']) };
const workloadRef = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/, 'expected NAMESPACE/WORKLOAD');
const decisionSchema = z.object({ allowed: z.boolean(), reason: z.string() });
const stepSchema = z.enum(['observing', 'baseline-ready', 'audit', 'enforced']);
const policyKindSchema = z.enum(['networkpolicy', 'seccomp', 'rbac']);

export const ladderSchema = z.object({
  workload: z.string(),
  step: stepSchema,
  history: z.array(z.object({ step: stepSchema, at: z.string(), by: z.string(), seq: z.number().int().optional() })),
});

const shareSchema = z.object({ total: z.number().int(), enforced: z.number().int(), inAudit: z.number().int(), share: z.number() });
const gateSchema = z.object({ ready: z.boolean(), blockers: z.array(z.string()), windowEndsAt: z.string() });

export const enforcementOverviewSchema = z.object({
  context: z.string(),
  user: z.string(),
  workloads: z.array(
    z.object({
      ladder: ladderSchema,
      isAiAgent: z.boolean(),
      blastRadius: z.object({ before: z.number(), after: z.number() }).nullable(),
      audit: z.object({ auditStartedAt: z.string(), windowMs: z.number(), gate: gateSchema, violations: z.number().int(), undecided: z.number().int() }).nullable(),
    }),
  ),
  coverage: z.object({ workloads: shareSchema, aiAgents: shareSchema, blastRadius: z.object({ before: z.number(), after: z.number() }), summary: z.string() }),
  /** What the evidence could not cover (no collector, unreadable audit log), in words. */
  gaps: z.array(z.string()),
  computedAt: z.string(),
});
export type EnforcementOverview = z.infer<typeof enforcementOverviewSchema>;

const blastRadiusSchema = z.object({ reachableServices: z.number(), internetReachable: z.boolean(), readableSecrets: z.number(), identities: z.number() });
const replaySchema = z.object({
  policy: z.string(),
  eventsConsidered: z.number().int(),
  blocked: z.array(z.object({ eventId: z.string(), time: z.string(), pod: z.string().nullable(), what: z.string(), policy: z.string() })),
});
const policySchema = z.object({
  kind: policyKindSchema,
  objects: z.array(kubeObjectSchema),
  justification: z.array(z.object({ rule: z.string(), eventIds: z.array(z.string()) })),
  warnings: z.array(z.string()),
});

export const enforcementPlanSchema = z.object({
  workload: z.string(),
  pod: z.string(),
  ladder: ladderSchema,
  baseline: z.object({ state: z.enum(['learning', 'ready']), readyAt: z.string(), eventCount: z.number().int() }),
  /** The plan being audited (widened by accepted violations) when an audit runs, else the one generated now. */
  source: z.enum(['generated', 'audited']),
  policies: z.object({ networkpolicy: policySchema, seccomp: policySchema, rbac: policySchema }),
  replays: z.object({ networkpolicy: replaySchema, seccomp: replaySchema, rbac: replaySchema }),
  blastRadius: z.object({ before: blastRadiusSchema, after: blastRadiusSchema }),
  warnings: z.array(z.string()),
});
export type EnforcementPlanView = z.infer<typeof enforcementPlanSchema>;

export const auditViolationSchema = z.object({
  id: z.string(),
  kind: policyKindSchema,
  what: z.string(),
  policy: z.string(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  count: z.number().int(),
  eventIds: z.array(z.string()),
  pods: z.array(z.string()),
  sources: z.array(z.enum(['replay', 'node-audit'])),
  decision: z.object({ violationId: z.string(), decision: z.enum(['accepted', 'suspicious']), by: z.string(), at: z.string(), reason: z.string() }).optional(),
  /** No decision of its own, but a rule accepted for another violation allows it now. */
  covered: z.boolean().optional(),
  /** The first events behind the violation, so the workbench shows them without a case open. */
  evidence: z.array(runtimeEventSchema),
});
export type AuditViolationView = z.infer<typeof auditViolationSchema>;

export const enforcementAuditSchema = z.object({
  workload: z.string(),
  ladder: ladderSchema,
  /** Null when no audit runs for the workload. */
  audit: z
    .object({ auditStartedAt: z.string(), windowMs: z.number(), eventsConsidered: z.number().int(), gate: gateSchema, violations: z.array(auditViolationSchema) })
    .nullable(),
});
export type EnforcementAudit = z.infer<typeof enforcementAuditSchema>;

export const enforcementAccessSchema = z.object({
  context: z.string(),
  user: z.string(),
  /** Start or stop an audit, decide on violations: whoever may apply the NetworkPolicy. */
  audit: decisionSchema,
  promote: decisionSchema,
  rollback: decisionSchema,
});
export type EnforcementAccess = z.infer<typeof enforcementAccessSchema>;

export const enforcementStepSchema = z.enum(['start-audit', 'stop-audit', 'promote', 'rollback']);
export type EnforcementStep = z.infer<typeof enforcementStepSchema>;

/** What a step would change, from the server-side dry run and the access review — read before confirming. */
export const enforcementPreviewSchema = z.object({
  step: enforcementStepSchema,
  allowed: z.boolean(),
  /** Why the step cannot be taken (access, ladder, audit window, undecided violations), or what it does. */
  reason: z.string(),
  changes: z.array(z.object({ op: changeOpSchema, kind: z.string(), namespace: z.string().optional(), name: z.string(), purpose: z.string(), ok: z.boolean(), error: z.string().optional() })),
  /** The node-level part (the collector's egress allowlist), in words. */
  node: z.string().nullable(),
  warnings: z.array(z.string()),
});
export type EnforcementPreview = z.infer<typeof enforcementPreviewSchema>;

export const enforcementResultSchema = z.object({ summary: z.string(), entry: actionLogEntrySchema });
export type EnforcementResult = z.infer<typeof enforcementResultSchema>;

export const enforcementRequests = {
  overview: z.object({ ...enforcementContextRef }).strict(),
  workload: z.object({ ...enforcementContextRef, workload: workloadRef }).strict(),
  preview: z.object({ ...enforcementContextRef, workload: workloadRef, step: enforcementStepSchema }).strict(),
  run: z
    .object({
      ...enforcementContextRef,
      workload: workloadRef,
      step: enforcementStepSchema,
      /** start-audit: the audit window (a minute to 90 days). */
      windowMs: z.number().int().min(60_000).max(90 * 86_400_000).optional(),
    })
    .strict(),
  decide: z
    .object({
      ...enforcementContextRef,
      workload: workloadRef,
      violationIds: z.array(z.string().min(1).max(128)).min(1).max(100),
      decision: z.enum(['accepted', 'suspicious']),
      reason: z.string().min(1).max(1024),
    })
    .strict(),
};
