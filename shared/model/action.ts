// What a responder did to a cluster, as the action log records it (one record per line, hash-chained by
// shared/evidence/action-chain.ts). A release reads the saved `before` objects back from here, so the record is
// validated with `actionRecordSchema` whenever it is read from a file.
import { z } from 'zod';
import { kubeObjectSchema } from './inventory.js';

/** Who acted, as the API server saw them (SelfSubjectReview, authentication.k8s.io/v1). */
export const actorSchema = z.object({
  username: z.string().max(1024),
  uid: z.string().max(256).optional(),
  groups: z.array(z.string().max(1024)).max(256).optional(),
  /** Set when the API server could not say (it has no SelfSubjectReview); the name then comes from the kubeconfig. */
  source: z.enum(['self-subject-review', 'kubeconfig']),
});
export type Actor = z.infer<typeof actorSchema>;

/**
 * A destination (egress) or source (ingress) a soft quarantine keeps allowed: the workload's observed baseline, as
 * the engine computes it. An address block, or pods (by labels) in a namespace (by name), with optional ports.
 */
export const quarantinePeerSchema = z
  .object({
    cidr: z.string().max(64).optional(),
    except: z.array(z.string().max(64)).max(64).optional(),
    namespace: z.string().max(253).optional(),
    podLabels: z.record(z.string().max(317), z.string().max(63)).optional(),
    ports: z
      .array(z.object({ protocol: z.enum(['TCP', 'UDP', 'SCTP']), port: z.number().int().min(1).max(65535), endPort: z.number().int().min(1).max(65535).optional() }))
      .max(32)
      .optional(),
    /** Why this peer is allowed ("observed: api.llm-provider.example:443"), for the record. */
    reason: z.string().max(1024).optional(),
  })
  .refine((p) => p.cidr !== undefined || p.namespace !== undefined || p.podLabels !== undefined, 'a peer needs a cidr, a namespace or pod labels')
  .refine((p) => p.cidr === undefined || (p.namespace === undefined && p.podLabels === undefined), 'a peer is either a cidr or pods, not both');
export type QuarantinePeer = z.infer<typeof quarantinePeerSchema>;

export const actionKindSchema = z.enum([
  'quarantine.soft',
  'quarantine.hard',
  'quarantine.release',
  // Progressive enforcement of a workload (main/enforce): its generated policies run in audit mode, a violation gets a
  // decision, the policies are promoted to enforced, or rolled back to audit.
  'enforce.audit',
  'enforce.stop-audit',
  'enforce.decide',
  'enforce.promote',
  'enforce.rollback',
]);
export type ActionKind = z.infer<typeof actionKindSchema>;

export const actionTargetSchema = z.object({
  clusterId: z.string().max(128),
  context: z.string().max(253),
  server: z.string().max(2048),
  namespace: z.string().max(253),
  pod: z.string().max(253),
  podUid: z.string().max(64).optional(),
  /** For enforcement actions: the workload (`namespace/owner`) the action applies to, across its replicas. */
  workload: z.string().max(507).optional(),
});
export type ActionTarget = z.infer<typeof actionTargetSchema>;

/**
 * What happened to one object. `before` is null for a create, `after` null for a delete; op 'none' means the object
 * was already as wanted (applying twice changes nothing).
 */
export const changeOpSchema = z.enum(['create', 'update', 'delete', 'none']);
export const objectChangeSchema = z.object({
  op: changeOpSchema,
  apiVersion: z.string().max(253),
  kind: z.string().max(253),
  /** 'scale' when the change went through the owner's scale subresource. */
  subresource: z.literal('scale').optional(),
  namespace: z.string().max(253).optional(),
  name: z.string().max(253),
  /** Why this object is touched, in plain words ("deny all traffic of the pod"). */
  purpose: z.string().max(1024),
  before: kubeObjectSchema.nullable(),
  after: kubeObjectSchema.nullable(),
  status: z.enum(['applied', 'unchanged', 'failed', 'rolled-back', 'rollback-failed', 'not-attempted']),
  error: z.string().max(4096).optional(),
});
export type ObjectChange = z.infer<typeof objectChangeSchema>;

/** The server-side dry run's verdict on each planned change, before anything was applied. */
export const dryRunResultSchema = z.object({
  ok: z.boolean(),
  objects: z.array(
    z.object({
      op: changeOpSchema,
      kind: z.string().max(253),
      namespace: z.string().max(253).optional(),
      name: z.string().max(253),
      ok: z.boolean(),
      error: z.string().max(4096).optional(),
    }),
  ),
});
export type DryRunResult = z.infer<typeof dryRunResultSchema>;

/** The node-level step, carried out by the collector on the pod's node. */
export const nodeStepSchema = z.object({
  mode: z.enum(['egress-allowlist', 'deny-all', 'release']),
  containerIds: z.array(z.string().max(128)),
  status: z.enum(['applied', 'failed', 'unavailable', 'rolled-back', 'not-attempted']),
  detail: z.string().max(4096),
});
export type NodeStep = z.infer<typeof nodeStepSchema>;

export const actionOutcomeSchema = z.enum([
  /** Every change applied and read back as intended. */
  'applied',
  /** Nothing needed changing: the pod was already in the requested state. */
  'unchanged',
  /** --dry-run: the server accepted (or refused) the plan; nothing was applied. */
  'dry-run',
  /** The dry run failed, so nothing was applied. */
  'rejected',
  /** Applying failed part-way and every applied change was undone. */
  'rolled-back',
  /** Applying failed part-way and some changes could not be undone: see each object's status. */
  'partial',
]);
export type ActionOutcome = z.infer<typeof actionOutcomeSchema>;

export const actionRecordSchema = z.object({
  time: z.string().max(40),
  actor: actorSchema,
  action: actionKindSchema,
  target: actionTargetSchema,
  /** The options the responder chose (baseline peers, cordon, scale to zero). */
  parameters: z.record(z.string(), z.unknown()),
  dryRun: dryRunResultSchema,
  outcome: actionOutcomeSchema,
  objects: z.array(objectChangeSchema),
  nodeStep: nodeStepSchema.optional(),
  /** Reading every changed object back after applying: whether it is in the intended state. */
  verification: z.object({ ok: z.boolean(), problems: z.array(z.string().max(4096)) }),
  /** Other NetworkPolicies that still allow some of the pod's traffic, in plain words. */
  warnings: z.array(z.string().max(4096)),
  /** For a release: the seq of the quarantine entry it undoes. */
  releases: z.number().int().nonnegative().optional(),
});
export type ActionRecord = z.infer<typeof actionRecordSchema>;

export const actionLogEntrySchema = actionRecordSchema.extend({
  seq: z.number().int().nonnegative(),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ActionLogEntry = z.infer<typeof actionLogEntrySchema>;
