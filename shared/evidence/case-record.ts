// The schemas of a bundle's own records: case.json (who exported what, when, from where), notes.json and
// queries.jsonl. Events, inventory and actions use their owners' schemas (shared/model, action-chain.ts).
import { z } from 'zod';
import { BUNDLE_FORMAT_VERSION } from './layout.js';

const time = z.string().max(40);
const chainHead = z.object({ seq: z.number().int().nonnegative(), hash: z.string().regex(/^[0-9a-f]{64}$/) }).nullable();

export const omittedFileSchema = z.object({ path: z.string().max(256), reason: z.string().max(1024) });
export type OmittedFile = z.infer<typeof omittedFileSchema>;

export const caseRecordSchema = z.object({
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  caseId: z.string().min(1).max(128),
  title: z.string().max(512),
  exportedAt: time,
  exportedBy: z.object({ user: z.string().max(256), host: z.string().max(256) }),
  toolVersion: z.string().max(64),
  /** Where the evidence came from: a case directory or file, or the local lab. */
  source: z.object({ kind: z.enum(['case', 'lab']), location: z.string().max(4096) }),
  clusters: z
    .array(z.object({ clusterId: z.string().max(128), context: z.string().max(253), capturedAt: time.optional() }))
    .max(256),
  events: z.object({
    count: z.number().int().nonnegative(),
    byKind: z.record(z.string().max(64), z.number().int().nonnegative()),
    firstTime: time.nullable(),
    lastTime: time.nullable(),
  }),
  actions: z.object({
    count: z.number().int().nonnegative(),
    head: chainHead,
    /** Entries whose content held a secret: redacted, and the chain re-sealed from the first of them. */
    redactedEntries: z.array(z.number().int().nonnegative()).max(1_000_000),
    /** The log's head before that re-sealing (absent when the log is the original, byte for byte). */
    originalHead: chainHead.optional(),
  }),
  /** How many secrets the redaction pass replaced, per kind; the bundle holds none of them. */
  redactions: z.record(z.string().max(64), z.number().int().nonnegative()),
  /** Layout files this bundle does not hold, and why (no fake content stands in for them). */
  omitted: z.array(omittedFileSchema).max(64),
});
export type CaseRecord = z.infer<typeof caseRecordSchema>;

export const noteSchema = z.object({
  time,
  author: z.string().max(256),
  text: z.string().max(65_536),
  /** Event ids the note is about. */
  eventIds: z.array(z.string().max(128)).max(1024).optional(),
});
export const notesSchema = z.array(noteSchema).max(100_000);
export type Note = z.infer<typeof noteSchema>;

/** One query or API call made while investigating, exactly as sent: the auditor can repeat it. */
export const queryRecordSchema = z.object({
  time,
  /** What was asked: the Kubernetes API, the collector stream, or the case store. */
  target: z.enum(['kubernetes-api', 'collector', 'case-store', 'other']),
  /** HTTP method or operation name. */
  operation: z.string().max(64),
  /** URL path with query string, or the query text. */
  request: z.string().max(65_536),
  context: z.string().max(253).optional(),
  status: z.union([z.number().int(), z.string().max(64)]).optional(),
});
export type QueryRecord = z.infer<typeof queryRecordSchema>;
