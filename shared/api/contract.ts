// The one contract between the renderer and main. Every call and every stream that crosses the process boundary
// is declared here, once, with runtime schemas. The Electron preload, the browser host and the gateway are checked
// against this object (see main/gateway/gateway.ts); the renderer's client only knows these names.
import { z } from 'zod';
import { call, stream, type CallSpec, type StreamSpec } from './contract-kit.js';
import { runtimeEventSchema } from '../model/event.js';
import { actionLogEntrySchema, quarantinePeerSchema } from '../model/action.js';
import { enforcementAccessSchema, enforcementAuditSchema, enforcementOverviewSchema, enforcementPlanSchema, enforcementPreviewSchema, enforcementRequests, enforcementResultSchema } from '../enforcement/enforcement-api.js';

const empty = z.object({}).strict();

export const appInfoSchema = z.object({
  version: z.string(),
  /** Which host runs the renderer: the Electron app or `vigil serve` in a browser. */
  host: z.enum(['electron', 'browser']),
  platform: z.string(),
  startedAt: z.string(),
  /** True when the host was opened on an evidence bundle: every view is read-only. */
  readOnly: z.boolean(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** Live state of a kubeconfig context: one authenticated GET /version. */
export const connectionStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('connected'), version: z.string(), latencyMs: z.number() }),
  z.object({ state: z.enum(['unauthorized', 'timeout', 'unreachable', 'error']), message: z.string() }),
]);

export const collectorStatusSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('healthy'),
    url: z.string(),
    node: z.string(),
    podsSynced: z.boolean(),
    enforcement: z.boolean(),
    tls: z.boolean(),
    /** Events the collector holds in its buffer, and the newest cursor (the event counter). */
    bufferedEvents: z.number().int().nonnegative(),
    newestCursor: z.number().int().nonnegative(),
    /** The collector's own loss and attribution counters (Prometheus text, vigil_* lines only). */
    counters: z.record(z.string(), z.number()),
  }),
  z.object({ state: z.enum(['unreachable', 'not-running']), url: z.string().nullable(), message: z.string() }),
]);

export const clusterContextSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Where the context comes from: the user's kubeconfig files, or the running lab. */
  source: z.enum(['kubeconfig', 'lab']),
  file: z.string(),
  server: z.string(),
  user: z.string(),
  namespace: z.string().optional(),
  auth: z.string(),
  current: z.boolean(),
  connection: connectionStateSchema,
});

export const clustersSchema = z.object({
  contexts: z.array(clusterContextSchema),
  /** Kubeconfig files or contexts that could not be used, with the reason. */
  problems: z.array(z.object({ file: z.string(), context: z.string().optional(), message: z.string() })),
  /** The lab's collector, when the lab is up (collectors of other clusters are not discovered yet). */
  collector: collectorStatusSchema.nullable(),
  checkedAt: z.string(),
});
export type Clusters = z.infer<typeof clustersSchema>;

/** One node's collector of a context: the pod Vigil found (or the lab's collector), how it was reached, its health. */
export const nodeCollectorSchema = z.object({
  node: z.string(),
  /** NAMESPACE/NAME of the collector pod; null for the lab's collector, which runs on the machine itself. */
  pod: z.string().nullable(),
  route: z.enum(['port-forward', 'direct', 'lab']),
  ready: z.boolean(),
  notReadyReason: z.string().optional(),
  status: collectorStatusSchema,
  /** Events per second over a one-second sample of the collector's cursor; null when it could not be read. */
  eventsPerSecond: z.number().nonnegative().nullable(),
  /** Sum of vigil_collector_lost_events_total (ring buffer, parse, queue, budget), and events without a pod. */
  lostEvents: z.number().nonnegative().nullable(),
  unattributedEvents: z.number().nonnegative().nullable(),
});
export const clusterCollectorsSchema = z.object({
  context: z.string(),
  /** "all namespaces" or the one namespace searched (when DaemonSets cannot be listed cluster-wide). */
  searched: z.string(),
  daemonSets: z.array(
    z.object({
      namespace: z.string(),
      name: z.string(),
      desired: z.number().int().nonnegative(),
      ready: z.number().int().nonnegative(),
      services: z.array(z.object({ name: z.string(), clusterIP: z.string().optional(), port: z.number().int() })),
    }),
  ),
  nodes: z.array(nodeCollectorSchema),
  /** Where the collectors' token came from ("Secret vigil-system/vigil-collector-api", "the lab"); null if none. */
  credentials: z.string().nullable(),
  problems: z.array(z.string()),
  checkedAt: z.string(),
});
export type ClusterCollectors = z.infer<typeof clusterCollectorsSchema>;

const contextRef = { contextId: z.string().min(1).max(128), source: z.enum(['kubeconfig', 'lab']) };
const accessDecisionSchema = z.object({ allowed: z.boolean(), reason: z.string() });

export const responseAccessSchema = z.object({
  context: z.string(),
  user: z.string(),
  soft: accessDecisionSchema,
  hard: accessDecisionSchema,
  release: accessDecisionSchema,
});
export type ResponseAccess = z.infer<typeof responseAccessSchema>;

export const responseRunRequestSchema = z
  .object({
    ...contextRef,
    namespace: z.string().min(1).max(253),
    pod: z.string().min(1).max(253),
    mode: z.enum(['soft', 'hard', 'release']),
    /** true: the server-side dry run only, nothing is applied (the diff a responder reads first). */
    dryRun: z.boolean(),
    /** Soft quarantine: the observed baseline destinations to keep allowed (DNS always is). */
    egress: z.array(quarantinePeerSchema).max(256).optional(),
  })
  .strict();
export const responseRunSchema = z.object({ summary: z.string(), entry: actionLogEntrySchema });
export type ResponseRun = z.infer<typeof responseRunSchema>;

/** One item of the live event stream: an event, a visible hole (events lost before they were read), or a reconnect. */
export const liveItemSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), cursor: z.string(), event: runtimeEventSchema }),
  z.object({ type: z.literal('gap'), cursor: z.string(), missed: z.number().int().positive() }),
  z.object({ type: z.literal('reconnecting'), cursor: z.string(), reason: z.string(), attempt: z.number().int() }),
]);
export type LiveItem = z.infer<typeof liveItemSchema>;

/** An evidence bundle opened for offline review (`vigil serve --bundle`, or uploaded to the host): verified first. */
export const bundleReviewSchema = z.object({
  name: z.string(),
  /** SHA-256 of the whole bundle file: which bundle this is. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  openedBy: z.enum(['serve', 'upload']),
  verified: z.boolean(),
  verification: z.object({
    signature: z.object({ status: z.enum(['valid', 'unknown-key', 'invalid', 'missing']), keyId: z.string().optional(), message: z.string() }),
    filesChecked: z.number().int().nonnegative(),
    changed: z.array(z.string()),
    missing: z.array(z.string()),
    extra: z.array(z.string()),
    actionLog: z.object({ status: z.enum(['intact', 'broken', 'absent']), entries: z.number().int().optional(), message: z.string().optional() }),
    /** Every problem, one sentence each; empty when verified. */
    problems: z.array(z.string()),
  }),
  case: z.object({
    caseId: z.string(),
    title: z.string(),
    exportedAt: z.string(),
    exportedBy: z.string(),
    toolVersion: z.string(),
    clusters: z.array(z.object({ clusterId: z.string(), context: z.string() })),
    eventCount: z.number().int().nonnegative(),
    omitted: z.array(z.object({ path: z.string(), reason: z.string() })),
  }),
  /** The action log's entries as recorded (hash-chained), and the case's inventory snapshots (kube objects). */
  actions: z.array(z.record(z.string(), z.unknown())),
  inventory: z.array(z.unknown()),
  /** The signed stories (stories.json), each step citing its events. */
  stories: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      severity: z.enum(['info', 'low', 'medium', 'high', 'critical']),
      score: z.number(),
      techniques: z.array(z.string()),
      steps: z.array(z.object({ time: z.string(), summary: z.string(), eventIds: z.array(z.string()) })),
      narrative: z.string(),
    }),
  ),
  policies: z.array(z.object({ fileName: z.string(), text: z.string() })),
  replays: z.array(z.object({ fileName: z.string(), value: z.unknown() })),
  notes: z.array(z.object({ time: z.string(), author: z.string(), text: z.string(), eventIds: z.array(z.string()).optional() })),
});
export type BundleReview = z.infer<typeof bundleReviewSchema>;

/** A piece of a bundle the user picked, sent to main in order (base64, under the host's request size cap). */
export const bundleUploadChunkSchema = z
  .object({ uploadId: z.string().regex(/^[0-9a-f]{32}$/), offset: z.number().int().nonnegative(), data: z.string().max(1_000_000) })
  .strict();

export const api = {
  'app.info': call('Version, host kind and mode of the running Vigil', empty, appInfoSchema),
  'response.access': call(
    'What the context\'s user may do in a namespace (SelfSubjectAccessReview per permission each action needs)',
    z.object({ ...contextRef, namespace: z.string().min(1).max(253) }).strict(),
    responseAccessSchema,
  ),
  'response.run': call('Soft or hard quarantine of a pod, or its release: dry run, or apply (logged, verified)', responseRunRequestSchema, responseRunSchema),
  'live.events': stream(
    'Events from the lab collector as they happen, resuming after a cursor (credentials stay in main)',
    z.object({ source: z.literal('lab'), after: z.string().regex(/^[0-9]{1,20}$/).optional() }).strict(),
    liveItemSchema,
  ),
  'evidence.review': call('The evidence bundle open for review, verified, or null when none is', empty, bundleReviewSchema.nullable()),
  'evidence.events': stream('The open bundle\'s events as NDJSON text, in chunks of whole lines', empty, z.object({ ndjson: z.string(), lines: z.number().int() })),
  'evidence.upload-begin': call(
    'Starts sending a bundle the user picked (bounded in size); main answers with the id to send its pieces under',
    z.object({ name: z.string().min(1).max(255), size: z.number().int().positive() }).strict(),
    z.object({ uploadId: z.string(), maxChunkBytes: z.number().int().positive() }),
  ),
  'evidence.upload-chunk': call('One piece of a bundle being sent', bundleUploadChunkSchema, z.object({ received: z.number().int().nonnegative() })),
  'evidence.upload-open': call(
    'Verifies and opens the sent bundle read-only (a hostile or damaged one is refused, saying why)',
    z.object({ uploadId: z.string().regex(/^[0-9a-f]{32}$/) }).strict(),
    bundleReviewSchema,
  ),
  'evidence.close': call('Closes the bundle under review (not one given to `vigil serve --bundle`)', empty, z.object({ closed: z.boolean() })),
  'clusters.list': call('Kubeconfig contexts (and the lab) with their live connection state, and the collector health', empty, clustersSchema),
  'enforcement.overview': call('Every workload\'s enforcement ladder (when, by whom), its audit, and the coverage figures', enforcementRequests.overview, enforcementOverviewSchema),
  'enforcement.plan': call('A workload\'s plan: generated NetworkPolicy, seccomp and RBAC, their replay, blast radius before and after', enforcementRequests.workload, enforcementPlanSchema),
  'enforcement.audit': call('A workload\'s running audit: violations with their evidence and decisions, and the promotion gate', enforcementRequests.workload, enforcementAuditSchema),
  'enforcement.access': call('Whether the context\'s user may audit, promote and roll back in the workload\'s namespace (access reviews)', enforcementRequests.workload, enforcementAccessSchema),
  'enforcement.preview': call('What an enforcement step would change (server-side dry run) and whether it may be taken now; nothing is written', enforcementRequests.preview, enforcementPreviewSchema),
  'enforcement.run': call('Start or stop an audit, promote or roll back a workload (logged in the action log)', enforcementRequests.run, enforcementResultSchema),
  'enforcement.decide': call('Accept audit violations into the plan or mark them suspicious (logged)', enforcementRequests.decide, enforcementResultSchema),
  'clusters.collectors': call(
    'Vigil collectors of one context per node (DaemonSet pods found through the API, reached by port-forward; the lab\'s directly) with health, event rate and loss',
    z.object({ ...contextRef, route: z.enum(['port-forward', 'direct']).optional() }).strict(),
    clusterCollectorsSchema,
  ),
} as const satisfies Record<string, CallSpec | StreamSpec>;

export type Api = typeof api;
export type ChannelName = keyof Api;
export type CallName = { [K in ChannelName]: Api[K] extends CallSpec ? K : never }[ChannelName];
export type StreamName = { [K in ChannelName]: Api[K] extends StreamSpec ? K : never }[ChannelName];
export type RequestOf<N extends CallName> = Api[N] extends CallSpec<infer Req, z.ZodType> ? z.input<Req> : never;
export type ResponseOf<N extends CallName> = Api[N] extends CallSpec<z.ZodType, infer Res> ? z.output<Res> : never;
export type ParamsOf<N extends StreamName> = Api[N] extends StreamSpec<infer P, z.ZodType> ? z.input<P> : never;
export type ItemOf<N extends StreamName> = Api[N] extends StreamSpec<z.ZodType, infer I> ? z.output<I> : never;

export const channelNames = Object.keys(api) as ChannelName[];
export function isChannelName(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(api, name);
}
