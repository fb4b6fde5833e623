// The in-toto Statement v1 that a bundle's DSSE envelope signs: every bundle file is a subject with its SHA-256,
// and the predicate summarises the case so that a reader of the signature alone knows what was signed.
import { z } from 'zod';
import { IN_TOTO_STATEMENT_TYPE, VIGIL_PREDICATE_TYPE } from './layout.js';
import type { ManifestEntry } from './manifest.js';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'is not a lowercase hex SHA-256');

export const evidencePredicateSchema = z.object({
  caseId: z.string().max(128),
  title: z.string().max(512),
  exportedAt: z.string().max(40),
  exportedBy: z.string().max(256),
  toolVersion: z.string().max(64),
  clusters: z.array(z.object({ clusterId: z.string().max(128), context: z.string().max(253) })).max(256),
  eventCount: z.number().int().nonnegative(),
  firstEventTime: z.string().max(40).nullable(),
  lastEventTime: z.string().max(40).nullable(),
  /** The action log's last entry; with it a log cut short at its end is caught too. */
  actionLogHead: z.object({ seq: z.number().int().nonnegative(), hash: sha256Hex }).nullable(),
  /** Files the layout defines that this bundle leaves out, with the reason (e.g. the engine was not available). */
  omitted: z.array(z.object({ path: z.string().max(256), reason: z.string().max(1024) })).max(64),
});
export type EvidencePredicate = z.infer<typeof evidencePredicateSchema>;

export const evidenceStatementSchema = z.object({
  _type: z.literal(IN_TOTO_STATEMENT_TYPE),
  subject: z.array(z.object({ name: z.string().max(1024), digest: z.object({ sha256: sha256Hex }) })).max(100_000),
  predicateType: z.literal(VIGIL_PREDICATE_TYPE),
  predicate: evidencePredicateSchema,
});
export type EvidenceStatement = z.infer<typeof evidenceStatementSchema>;

export function buildStatement(files: readonly ManifestEntry[], predicate: EvidencePredicate): EvidenceStatement {
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: files.map((file) => ({ name: file.path, digest: { sha256: file.sha256 } })),
    predicateType: VIGIL_PREDICATE_TYPE,
    predicate,
  };
}
