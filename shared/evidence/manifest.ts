// manifest.json: the SHA-256 and size of every bundle file except the sealing files, and the comparison of what a
// bundle holds against what its manifest (or its signed statement) says it should hold.
import { z } from 'zod';
import { BUNDLE_FORMAT_VERSION } from './layout.js';

export const manifestEntrySchema = z.object({
  path: z.string().min(1).max(1024),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'is not a lowercase hex SHA-256'),
  size: z.number().int().nonnegative(),
});
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

export const manifestSchema = z.object({
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  algorithm: z.literal('sha256'),
  files: z.array(manifestEntrySchema).max(100_000),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Files sorted by path (code unit order, which is byte order for the ASCII names the layout allows). */
export function buildManifest(files: readonly ManifestEntry[]): Manifest {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { formatVersion: BUNDLE_FORMAT_VERSION, algorithm: 'sha256', files: sorted };
}

export interface DigestComparison {
  /** In both, with different digests. */
  changed: string[];
  /** Expected but absent from the bundle. */
  missing: string[];
  /** In the bundle but not expected. */
  extra: string[];
}

/** Compares expected digests (path → sha256) with actual ones; each list is sorted. */
export function compareDigests(expected: ReadonlyMap<string, string>, actual: ReadonlyMap<string, string>): DigestComparison {
  const changed: string[] = [];
  const missing: string[] = [];
  const extra: string[] = [];
  for (const [path, digest] of expected) {
    const found = actual.get(path);
    if (found === undefined) missing.push(path);
    else if (found !== digest) changed.push(path);
  }
  for (const path of actual.keys()) if (!expected.has(path)) extra.push(path);
  return { changed: changed.sort(), missing: missing.sort(), extra: extra.sort() };
}

export function isCleanComparison(comparison: DigestComparison): boolean {
  return comparison.changed.length + comparison.missing.length + comparison.extra.length === 0;
}
