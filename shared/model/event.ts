// The vocabulary of observations: one normalized event shape that the collector client produces, the engine
// consumes, the case store persists and evidence bundles carry. Every message crossing a trust boundary (collector
// stream, imported bundle, IPC) is parsed with `runtimeEventSchema` before anything uses it.
import { z } from 'zod';

export const podRefSchema = z.object({
  namespace: z.string().min(1).max(253),
  name: z.string().min(1).max(253),
  uid: z.string().max(64),
  /** The pod's labels, when the collector has Kubernetes API access (at most 64). */
  labels: z.record(z.string().max(317), z.string().max(63)).optional(),
});
export type PodRef = z.infer<typeof podRefSchema>;

export const processRefSchema = z.object({
  pid: z.number().int().nonnegative(),
  ppid: z.number().int().nonnegative(),
  exe: z.string().max(4096),
  args: z.array(z.string().max(4096)).max(256),
  uid: z.number().int().nonnegative().optional(),
  cwd: z.string().max(4096).optional(),
  /** Kernel start time of the process in ns since boot: with pid, a unique process key on a node. */
  startNs: z.number().nonnegative().optional(),
});
export type ProcessRef = z.infer<typeof processRefSchema>;

const ip = z.string().max(64);
const port = z.number().int().min(0).max(65535);

const socketDetails = z.object({
  protocol: z.enum(['tcp', 'udp']),
  family: z.union([z.literal(4), z.literal(6)]),
  srcIp: ip,
  srcPort: port,
  dstIp: ip,
  dstPort: port,
  /** DNS name the process resolved to reach dstIp, when the collector saw the lookup. */
  dnsName: z.string().max(253).optional(),
});

const boundedText = z.string().max(65_536);

export const llmMessageSchema = z.object({
  role: z.string().max(32),
  content: boundedText,
  toolCallId: z.string().max(256).optional(),
  name: z.string().max(256).optional(),
});
export const llmToolCallSchema = z.object({
  id: z.string().max(256),
  name: z.string().max(256),
  /** Raw JSON text of the arguments as the model produced them (redacted). */
  arguments: boundedText,
});

/** Details per kind. The `kind` field of the event selects which one applies. */
export const eventDetailSchemas = {
  'process.exec': z.object({ filename: z.string().max(4096) }),
  'process.exit': z.object({ exitCode: z.number().int(), durationMs: z.number().nonnegative().optional() }),
  'net.connect': socketDetails,
  'net.accept': socketDetails,
  'net.close': socketDetails.extend({
    bytesSent: z.number().nonnegative(),
    bytesReceived: z.number().nonnegative(),
    durationMs: z.number().nonnegative().optional(),
  }),
  'dns.query': z.object({ queryName: z.string().max(253), queryType: z.string().max(16), server: ip }),
  'dns.answer': z.object({
    queryName: z.string().max(253),
    queryType: z.string().max(16),
    rcode: z.string().max(16),
    answers: z.array(z.string().max(253)).max(64),
  }),
  'file.open': z.object({
    /** The canonical path opened (relative paths and `..` resolved against the process's cwd or dirfd). */
    path: z.string().max(4096),
    /** The path as the process wrote it, when it differed from `path` (e.g. `../../etc/shadow`). */
    rawPath: z.string().max(4096).optional(),
    flags: z.array(z.string().max(32)).max(32),
    category: z.enum(['sa-token', 'shadow', 'ssh-key', 'cloud-credential', 'kubeconfig', 'model', 'other']),
    /** 0 when the open succeeded, else the errno. */
    errno: z.number().int().nonnegative(),
  }),
  /** The first time a container used a syscall: the stream of these is the container's complete syscall set. */
  'syscall.first': z.object({ syscall: z.string().max(64), nr: z.number().int().nonnegative() }),
  /** Plaintext HTTP seen through TLS uprobes (or in the clear) that is not an LLM API call. */
  'http.request': z.object({
    host: z.string().max(253),
    method: z.string().max(16),
    path: z.string().max(4096),
    status: z.number().int().optional(),
    bytes: z.number().nonnegative().optional(),
  }),
  'llm.request': z.object({
    provider: z.enum(['openai', 'anthropic', 'unknown']),
    host: z.string().max(253),
    path: z.string().max(4096),
    model: z.string().max(256),
    stream: z.boolean(),
    messages: z.array(llmMessageSchema).max(256),
    tools: z.array(z.object({ name: z.string().max(256), description: z.string().max(4096).optional() })).max(256),
    /** Tool results the agent sent back to the model in this request (role "tool" / tool_result blocks). */
    toolResults: z.array(z.object({ toolCallId: z.string().max(256), content: boundedText })).max(256),
  }),
  'llm.response': z.object({
    provider: z.enum(['openai', 'anthropic', 'unknown']),
    host: z.string().max(253),
    path: z.string().max(4096),
    status: z.number().int(),
    model: z.string().max(256),
    content: boundedText,
    toolCalls: z.array(llmToolCallSchema).max(256),
    finishReason: z.string().max(64).optional(),
    inputTokens: z.number().int().nonnegative().optional(),
    outputTokens: z.number().int().nonnegative().optional(),
    /** Id of the llm.request event this answers, when the collector paired them on the connection. */
    requestEventId: z.string().max(128).optional(),
  }),
  /** The collector classified a process or container as an AI workload. */
  'workload.classified': z.object({
    role: z.enum(['agent', 'inference-server', 'mcp-server', 'tool']),
    reasons: z.array(z.string().max(512)).max(32),
    /** SDKs and frameworks seen loaded, with versions where they could be read. */
    frameworks: z.array(z.object({ name: z.string().max(128), version: z.string().max(64).optional() })).max(64),
  }),
  /** A node-level egress verdict from the collector's cgroup_skb program. */
  'enforce.verdict': z.object({
    mode: z.enum(['audit', 'enforce']),
    action: z.enum(['would-drop', 'dropped']),
    protocol: z.enum(['tcp', 'udp', 'other']),
    dstIp: ip,
    dstPort: port,
    count: z.number().int().positive(),
  }),
  /** A Kubernetes API call from the API server's audit log. */
  'k8s.audit': z.object({
    user: z.string().max(512),
    groups: z.array(z.string().max(256)).max(64),
    verb: z.string().max(32),
    resource: z.string().max(253),
    subresource: z.string().max(253).optional(),
    apiGroup: z.string().max(253),
    namespace: z.string().max(253).optional(),
    name: z.string().max(253).optional(),
    responseCode: z.number().int().optional(),
    userAgent: z.string().max(1024).optional(),
    sourceIp: ip.optional(),
  }),
} as const;

export type EventKind = keyof typeof eventDetailSchemas;
export const eventKinds = Object.keys(eventDetailSchemas) as EventKind[];
export type EventDetails<K extends EventKind> = z.infer<(typeof eventDetailSchemas)[K]>;

const baseEvent = {
  /** Unique and stable: `<node>/<boot>/<seq>` from the collector, `audit/<auditID>` from an audit log. */
  id: z.string().min(1).max(128),
  /** RFC 3339 with nanoseconds, UTC. */
  time: z.string().max(40),
  /** Where the event was observed: the node name, or "apiserver" for audit events. */
  node: z.string().max(253),
  source: z.enum(['collector', 'k8s-audit', 'lab']),
  pod: podRefSchema.nullable(),
  containerId: z.string().max(128).nullable(),
  process: processRefSchema.nullable(),
};

function eventOf<K extends EventKind>(kind: K) {
  return z.object({ ...baseEvent, kind: z.literal(kind), details: eventDetailSchemas[kind] });
}

export const runtimeEventSchema = z.discriminatedUnion('kind', [
  eventOf('process.exec'),
  eventOf('process.exit'),
  eventOf('net.connect'),
  eventOf('net.accept'),
  eventOf('net.close'),
  eventOf('dns.query'),
  eventOf('dns.answer'),
  eventOf('file.open'),
  eventOf('syscall.first'),
  eventOf('http.request'),
  eventOf('llm.request'),
  eventOf('llm.response'),
  eventOf('workload.classified'),
  eventOf('enforce.verdict'),
  eventOf('k8s.audit'),
]);

export type RuntimeEvent = z.infer<typeof runtimeEventSchema>;
export type EventOfKind<K extends EventKind> = Extract<RuntimeEvent, { kind: K }>;

/** Orders events deterministically: by time, then by id. The engine relies on this for byte-identical output. */
export function compareEvents(a: Pick<RuntimeEvent, 'time' | 'id'>, b: Pick<RuntimeEvent, 'time' | 'id'>): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
