// The collector's wire API, version v1: the one source for every message the collector sends or accepts. The
// TypeScript client validates with these schemas; the Go collector is checked against JSON Schema generated from
// them (native-bpf-collector/schema/v1, `npx tsx native-bpf-collector/scripts/gen-json-schema.ts`), so the two
// sides cannot drift without a test failing. Events themselves are shared/model/event.ts.
import { z } from 'zod';
import { runtimeEventSchema } from '../model/event.js';

export const COLLECTOR_API_VERSION = 'v1';

/** A position in the collector's event buffer: a decimal sequence number as a string. */
const cursor = z.string().regex(/^[0-9]{1,20}$/);

/** One line of `GET /v1/events` (NDJSON). */
export const streamMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), cursor, event: runtimeEventSchema }),
  /** `missed` events fell out of the bounded buffer before this client read them; the stream goes on after them. */
  z.object({ type: z.literal('gap'), cursor, missed: z.number().int().positive() }),
  /** Nothing new for a while (follow mode); the connection is alive. */
  z.object({ type: z.literal('heartbeat'), cursor }),
  /** Everything buffered was sent (without follow, or when the limit was reached). */
  z.object({ type: z.literal('end'), cursor }),
]);
export type StreamMessage = z.infer<typeof streamMessageSchema>;

/** The envelope of every error response (4xx/5xx). */
export const apiErrorSchema = z.object({ error: z.string().min(1) });

export const healthSchema = z.object({
  status: z.literal('ok'),
  node: z.string(),
  api: z.literal(COLLECTOR_API_VERSION),
  podsSynced: z.boolean(),
  buffer: z.object({ oldestCursor: z.number().int().nonnegative(), newestCursor: z.number().int().nonnegative() }),
  enforcement: z.boolean(),
  tls: z.boolean(),
});
export type CollectorHealth = z.infer<typeof healthSchema>;

const seen = {
  firstSeen: z.string(),
  lastSeen: z.string(),
  count: z.number().int().nonnegative(),
  /** First seen after the learning period ended: drift from the baseline. */
  new: z.boolean(),
};

/** `GET /v1/profiles/<namespace>/<pod>`: the pod's application profile. */
export const profileSchema = z.object({
  namespace: z.string(),
  pod: z.string(),
  containerIds: z.array(z.string()),
  state: z.enum(['learning', 'stable', 'drifted']),
  since: z.string(),
  learningEnds: z.string(),
  updatedAt: z.string(),
  syscalls: z.array(z.string()),
  syscallDetails: z.array(z.object({ name: z.string(), ...seen })),
  executables: z.array(z.object({ path: z.string(), ...seen })),
  connections: z.array(
    z.object({
      direction: z.enum(['egress', 'ingress']),
      protocol: z.enum(['tcp', 'udp']),
      peer: z.string(),
      port: z.number().int().min(0).max(65535),
      dnsName: z.string().optional(),
      ...seen,
    }),
  ),
  files: z.array(z.object({ path: z.string(), category: z.string(), ...seen })),
  llm: z.array(z.object({ provider: z.string(), host: z.string(), path: z.string(), model: z.string(), ...seen })),
  tools: z.array(z.object({ name: z.string(), ...seen })),
});
export type PodProfile = z.infer<typeof profileSchema>;

export const profileListSchema = z.object({ pods: z.array(z.string()) });

/** `PUT /v1/enforcement/<containerId>` body. */
export const enforcementRequestSchema = z
  .object({
    mode: z.enum(['off', 'audit', 'enforce']),
    /** allowlist: soft quarantine (only `allow`, plus DNS); deny-all-but-dns: hard quarantine. */
    policy: z.enum(['allowlist', 'deny-all-but-dns']),
    allow: z
      .array(z.object({ cidr: z.string().max(64), ports: z.array(z.number().int().min(1).max(65535)).max(8).optional() }).strict())
      .max(256)
      .optional(),
    /** The cluster resolver DNS may reach; absent: any destination on port 53. */
    dnsServer: z.string().max(64).optional(),
  })
  .strict();
export type EnforcementRequest = z.infer<typeof enforcementRequestSchema>;

/** `GET|PUT /v1/enforcement/<containerId>` answer: the policy and per-destination counts. */
export const enforcementStatusSchema = z.object({
  containerId: z.string(),
  cgroupPath: z.string(),
  mode: z.enum(['off', 'audit', 'enforce']),
  policy: z.enum(['allowlist', 'deny-all-but-dns']),
  allow: z.array(z.object({ cidr: z.string(), ports: z.array(z.number().int()).optional() })).nullable(),
  dnsServer: z.string(),
  verdicts: z.array(
    z.object({
      action: z.enum(['would-drop', 'dropped']),
      protocol: z.enum(['tcp', 'udp', 'other']),
      dstIp: z.string(),
      dstPort: z.number().int(),
      count: z.number().int().nonnegative(),
    }),
  ),
});
export type EnforcementStatus = z.infer<typeof enforcementStatusSchema>;

/** Every schema that has a JSON Schema twin for the Go side, by file name. */
export const wireSchemas = {
  'stream-message': streamMessageSchema,
  event: runtimeEventSchema,
  error: apiErrorSchema,
  health: healthSchema,
  profile: profileSchema,
  'enforcement-request': enforcementRequestSchema,
  'enforcement-status': enforcementStatusSchema,
} as const;
