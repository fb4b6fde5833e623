// The one contract between the renderer and main. Every call and every stream that crosses the process boundary
// is declared here, once, with runtime schemas. The Electron preload, the browser host and the gateway are checked
// against this object (see main/gateway/gateway.ts); the renderer's client only knows these names.
import { z } from 'zod';
import { call, stream, type CallSpec, type StreamSpec } from './contract-kit.js';
import { runtimeEventSchema } from '../model/event.js';
import { actionLogEntrySchema, quarantinePeerSchema } from '../model/action.js';

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
  'clusters.list': call('Kubeconfig contexts (and the lab) with their live connection state, and the collector health', empty, clustersSchema),
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
