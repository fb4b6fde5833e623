// The evidence bundle a host has open for offline review: `vigil serve --bundle FILE`, or a bundle the user sent from
// the workbench. Opening verifies first (digests, signature against the trusted keys, action-log chain) and checks
// every file against its schema; structural damage refuses the bundle, a sound bundle that does not verify opens
// as unverified with every problem named. While a bundle is open the host is read-only. Events are not held in
// memory: they are checked once on opening and streamed from the file again when the workbench loads them.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { eventLineChunks, openBundleForReview, type ReviewedBundle } from './bundle-review.js';
import type { TrustedKeys } from './trusted-keys.js';
import { BundleFormatError, ZipArchiveReader, type ReadLimits } from './zip-reader.js';
import type { BundleReview } from '../../shared/api/contract.js';

export class BundleRefusedError extends Error {
  override name = 'BundleRefusedError';
}

interface OpenBundle {
  file: string;
  review: BundleReview;
  /** Removes the file when it was an upload (the host's own copy). */
  discard(): Promise<void>;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const SEVERITIES = new Set(['info', 'low', 'medium', 'high', 'critical']);

/** The signed stories, in the contract's shape; a story file of another shape shows as no stories, not as a crash. */
function storiesOf(value: unknown): BundleReview['stories'] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((raw) => {
    const s = raw as Record<string, unknown>;
    if (typeof s?.id !== 'string' || typeof s.title !== 'string' || !Array.isArray(s.steps)) return [];
    const steps = (s.steps as Record<string, unknown>[]).map((step) => ({
      time: String(step?.time ?? ''),
      summary: String(step?.summary ?? ''),
      eventIds: Array.isArray(step?.eventIds) ? step.eventIds.map(String) : [],
    }));
    return [{
      id: s.id,
      title: s.title,
      severity: (SEVERITIES.has(String(s.severity)) ? s.severity : 'info') as BundleReview['stories'][number]['severity'],
      score: typeof s.score === 'number' ? s.score : 0,
      techniques: Array.isArray(s.techniques) ? s.techniques.map(String) : [],
      steps,
      narrative: typeof s.narrative === 'string' ? s.narrative : '',
    }];
  });
}

export function reviewOf(bundle: ReviewedBundle, name: string, sha256: string, openedBy: BundleReview['openedBy']): BundleReview {
  const { report, caseRecord } = bundle;
  return {
    name,
    sha256,
    openedBy,
    verified: bundle.verified,
    verification: {
      signature: { status: report.signature.status, ...(report.signature.keyId ? { keyId: report.signature.keyId } : {}), message: report.signature.message },
      filesChecked: report.files.checked,
      changed: report.files.changed,
      missing: report.files.missing,
      extra: report.files.extra,
      actionLog: report.actionLog,
      problems: report.problems,
    },
    case: {
      caseId: caseRecord.caseId,
      title: caseRecord.title,
      exportedAt: caseRecord.exportedAt,
      exportedBy: `${caseRecord.exportedBy.user}@${caseRecord.exportedBy.host}`,
      toolVersion: caseRecord.toolVersion,
      clusters: caseRecord.clusters.map((c) => ({ clusterId: c.clusterId, context: c.context })),
      eventCount: bundle.eventCount,
      omitted: caseRecord.omitted,
    },
    actions: bundle.actions,
    inventory: bundle.inventory,
    stories: storiesOf(bundle.stories),
    policies: bundle.policies,
    replays: bundle.replays,
    notes: bundle.notes,
  };
}

export class ReviewSession {
  private current: OpenBundle | null = null;

  constructor(
    private readonly trustedKeys: () => Promise<TrustedKeys>,
    private readonly limits?: ReadLimits,
  ) {}

  /** The bundle given on the command line: it stays open for the host's lifetime. */
  private pinned = false;

  get readOnly(): boolean {
    return this.pinned || this.current !== null;
  }

  review(): BundleReview | null {
    return this.current?.review ?? null;
  }

  /**
   * Verifies and opens `file` (shown as `name`). Throws BundleRefusedError, saying why, for a hostile or damaged
   * bundle; the bundle open before (if any) then stays open.
   */
  async open(file: string, options: { name?: string; openedBy: BundleReview['openedBy']; discard?: () => Promise<void> }): Promise<BundleReview> {
    const name = options.name ?? path.basename(file);
    if (this.pinned) {
      await options.discard?.();
      throw new BundleRefusedError(`this workbench was started on ${this.current!.review.name}; start another \`vigil serve --bundle\` to review ${name}`);
    }
    let bundle: ReviewedBundle;
    try {
      bundle = await openBundleForReview(file, { trusted: await this.trustedKeys(), keepEvents: false, ...(this.limits ? { limits: this.limits } : {}) });
    } catch (error) {
      await options.discard?.();
      if (error instanceof BundleFormatError) throw new BundleRefusedError(`${name} was refused and not opened: ${error.message.split(file).join(name)}`);
      throw error;
    }
    const review = reviewOf(bundle, name, await sha256Of(file), options.openedBy);
    await this.current?.discard();
    this.current = { file, review, discard: options.discard ?? (async () => undefined) };
    if (options.openedBy === 'serve') this.pinned = true;
    return review;
  }

  /** The open bundle's events, as NDJSON text in chunks of whole lines. */
  async *eventChunks(): AsyncGenerator<{ ndjson: string; lines: number }> {
    const open = this.current;
    if (!open) throw new BundleRefusedError('no evidence bundle is open');
    const reader = await ZipArchiveReader.open(open.file, this.limits);
    for await (const chunk of eventLineChunks(reader)) yield { ndjson: chunk.text, lines: chunk.lines };
  }

  async close(): Promise<boolean> {
    if (this.pinned) throw new BundleRefusedError(`${this.current!.review.name} was given to \`vigil serve --bundle\`: it stays open until the host stops`);
    if (!this.current) return false;
    await this.current.discard();
    this.current = null;
    return true;
  }
}
