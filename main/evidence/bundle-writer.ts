// Writes a signed `.vigil` evidence bundle (layout: shared/evidence/layout.ts, docs/evidence-format.md).
// Events are streamed through redaction, hashing and deflate in batches, so a million events never sit in memory
// as one string. The bundle is written under a temporary name and renamed into place only once it is signed: a
// failed export leaves no half bundle behind.
import { rename, rm } from 'node:fs/promises';
import os from 'node:os';
import { ActionLogError, redactActionLog } from '../../shared/evidence/action-log-redaction.js';
import type { CaseRecord, OmittedFile } from '../../shared/evidence/case-record.js';
import { preAuthEncoding, type DsseEnvelope } from '../../shared/evidence/dsse.js';
import { BUNDLE_FILES, BUNDLE_FOLDERS, BUNDLE_FORMAT_VERSION, DSSE_PAYLOAD_TYPE, folderFileName } from '../../shared/evidence/layout.js';
import { buildManifest, type ManifestEntry } from '../../shared/evidence/manifest.js';
import { findSecrets, redactText, redactValue, type RedactionCounts } from '../../shared/evidence/redaction.js';
import { buildStatement, type EvidencePredicate } from '../../shared/evidence/statement.js';
import { VIGIL_VERSION } from '../version.js';
import type { EventRecord, EvidenceContent, ExportProgress } from './evidence-content.js';
import type { KeyStore } from './keys.js';
import { ZipFileWriter } from './zip-writer.js';

export interface WriteOptions {
  keyStore: KeyStore;
  onProgress?: (progress: ExportProgress) => void;
  now?: Date;
  /** Deflate level; 1 by default (events compress well even so, and a million events stay fast). */
  compressionLevel?: number;
  exportedBy?: { user: string; host: string };
}

export interface WriteResult {
  path: string;
  keyId: string;
  files: ManifestEntry[];
  caseRecord: CaseRecord;
  bytes: number;
}

/** Export refused: the message says why; no bundle was written. */
export class ExportError extends Error {
  override name = 'ExportError';
}

const EVENT_BATCH_BYTES = 1024 * 1024;
const PROGRESS_EVERY_EVENTS = 50_000;

const encoder = new TextEncoder();

function jsonBytes(value: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(value, null, 2)}\n`);
}

interface EventStats {
  count: number;
  byKind: Record<string, number>;
  firstTime: string | null;
  lastTime: string | null;
}

async function* redactedEventBatches(events: AsyncIterable<EventRecord>, counts: RedactionCounts, stats: EventStats, onProgress?: (p: ExportProgress) => void): AsyncGenerator<Uint8Array> {
  let batch = '';
  for await (const { event, text } of events) {
    // A line read from a file is written as it was (it validated); the value-level redaction only runs on lines the
    // text detectors flag, which keeps plain events cheap.
    let line = text ?? JSON.stringify(event);
    if (redactText(line) !== line) line = JSON.stringify(redactValue(event, counts));
    batch += `${line}\n`;
    stats.count++;
    stats.byKind[event.kind] = (stats.byKind[event.kind] ?? 0) + 1;
    if (stats.firstTime === null || event.time < stats.firstTime) stats.firstTime = event.time;
    if (stats.lastTime === null || event.time > stats.lastTime) stats.lastTime = event.time;
    if (batch.length >= EVENT_BATCH_BYTES) {
      yield encoder.encode(batch);
      batch = '';
    }
    if (onProgress && stats.count % PROGRESS_EVERY_EVENTS === 0) onProgress({ phase: 'events', done: stats.count });
  }
  if (batch.length > 0) yield encoder.encode(batch);
}

export async function writeBundle(content: EvidenceContent, outPath: string, options: WriteOptions): Promise<WriteResult> {
  const now = options.now ?? new Date();
  const signingKey = await options.keyStore.signingKey();
  const temporary = `${outPath}.partial-${process.pid}`;
  const zip = await ZipFileWriter.create(temporary, { modified: now, level: options.compressionLevel ?? 1 });
  try {
    const result = await writeEntries(zip, content, now, signingKey, options);
    await zip.close();
    await rename(temporary, outPath);
    options.onProgress?.({ phase: 'done', done: result.files.length });
    return { ...result, path: outPath };
  } catch (error) {
    await zip.abandon();
    await rm(temporary, { force: true });
    if (error instanceof ActionLogError) throw new ExportError(error.message);
    throw error;
  }
}

async function writeEntries(
  zip: ZipFileWriter,
  content: EvidenceContent,
  now: Date,
  signingKey: Awaited<ReturnType<KeyStore['signingKey']>>,
  options: WriteOptions,
): Promise<Omit<WriteResult, 'path'>> {
  const counts: RedactionCounts = {};
  const files: ManifestEntry[] = [];
  let bytes = 0;
  const record = (entry: { name: string; sha256: string; size: number; compressedSize: number }) => {
    files.push({ path: entry.name, sha256: entry.sha256, size: entry.size });
    bytes += entry.compressedSize;
    options.onProgress?.({ phase: 'files', done: files.length });
  };
  // Every JSON file goes through the value-level redaction, then is checked once more as written text.
  const addJson = async (name: string, value: unknown) => {
    const data = jsonBytes(redactValue(value, counts));
    const leftover = findSecrets(new TextDecoder().decode(data));
    if (leftover.length > 0) throw new ExportError(`${name} still holds a ${leftover[0]!.kind} after redaction; no bundle was written`);
    record(await zip.addBuffer(name, data));
  };
  const addJsonLines = async (name: string, values: unknown[]) => {
    record(await zip.addBuffer(name, encoder.encode(values.map((value) => `${JSON.stringify(redactValue(value, counts))}\n`).join(''))));
  };

  const stats: EventStats = { count: 0, byKind: {}, firstTime: null, lastTime: null };
  record(await zip.addStream(BUNDLE_FILES.events, redactedEventBatches(content.events(), counts, stats, options.onProgress)));
  options.onProgress?.({ phase: 'events', done: stats.count });

  const usedInventoryNames = new Set<string>();
  for (const snapshot of content.inventory) {
    let fileName = folderFileName(snapshot.context || snapshot.clusterId, '.json');
    for (let n = 2; usedInventoryNames.has(fileName); n++) fileName = folderFileName(`${snapshot.context}-${n}`, '.json');
    usedInventoryNames.add(fileName);
    await addJson(`${BUNDLE_FOLDERS.inventory}${fileName}`, snapshot);
  }

  const engine = typeof content.engine === 'function' ? content.engine() : content.engine;
  const omitted: OmittedFile[] = [...content.omitted];
  const engineFile = async (path: string, value: unknown, what: string) => {
    if (value === undefined) {
      if (!omitted.some((o) => o.path === path)) omitted.push({ path, reason: `no ${what} was available for this case` });
      return;
    }
    await addJson(path, value);
  };
  await engineFile(BUNDLE_FILES.graph, engine.graph, 'execution graph');
  await engineFile(BUNDLE_FILES.aibom, engine.aibom, 'AI-BOM');
  await engineFile(BUNDLE_FILES.stories, engine.stories, 'story');
  for (const policy of engine.policies ?? []) {
    record(await zip.addBuffer(`${BUNDLE_FOLDERS.policies}${folderFileName(policy.fileName, '')}`, encoder.encode(redactText(policy.text, counts))));
  }
  for (const replay of engine.replays ?? []) {
    await addJson(`${BUNDLE_FOLDERS.replays}${folderFileName(replay.fileName.replace(/\.json$/, ''), '.json')}`, replay.value);
  }
  if (!engine.policies?.length) omitted.push({ path: BUNDLE_FOLDERS.policies, reason: 'the case holds no generated policies (and this export has no policy generator to run)' });
  if (!engine.replays?.length) omitted.push({ path: BUNDLE_FOLDERS.replays, reason: 'the case holds no audit-mode policy replays' });

  let actions: CaseRecord['actions'] = { count: 0, head: null, redactedEntries: [] };
  if (content.actionLog !== null) {
    const log = redactActionLog(content.actionLog, counts);
    record(await zip.addBuffer(BUNDLE_FILES.actions, encoder.encode(log.text)));
    actions = { count: log.entries, head: log.head, redactedEntries: log.redactedEntries, ...(log.originalHead !== undefined ? { originalHead: log.originalHead } : {}) };
  } else {
    omitted.push({ path: BUNDLE_FILES.actions, reason: 'the case has no action log (no responder action was taken through Vigil)' });
  }
  await addJson(BUNDLE_FILES.notes, content.notes);
  await addJsonLines(BUNDLE_FILES.queries, content.queries);

  const caseRecord: CaseRecord = {
    formatVersion: BUNDLE_FORMAT_VERSION,
    caseId: content.caseId,
    title: content.title,
    exportedAt: now.toISOString(),
    exportedBy: options.exportedBy ?? { user: os.userInfo().username, host: os.hostname() },
    toolVersion: VIGIL_VERSION,
    source: content.source,
    clusters: content.inventory.map((s) => ({ clusterId: s.clusterId, context: s.context, capturedAt: s.capturedAt })),
    events: stats,
    actions,
    redactions: counts as Record<string, number>,
    omitted,
  };
  // case.json is written last among the evidence files because it summarises them (counts, redactions).
  await addJson(BUNDLE_FILES.case, caseRecord);

  options.onProgress?.({ phase: 'signing', done: files.length });
  const manifest = buildManifest(files);
  await zip.addBuffer(BUNDLE_FILES.manifest, jsonBytes(manifest));
  const predicate: EvidencePredicate = {
    caseId: caseRecord.caseId,
    title: caseRecord.title,
    exportedAt: caseRecord.exportedAt,
    exportedBy: `${caseRecord.exportedBy.user}@${caseRecord.exportedBy.host}`,
    toolVersion: caseRecord.toolVersion,
    clusters: caseRecord.clusters.map(({ clusterId, context }) => ({ clusterId, context })),
    eventCount: stats.count,
    firstEventTime: stats.firstTime,
    lastEventTime: stats.lastTime,
    actionLogHead: actions.head,
    omitted,
  };
  const payload = encoder.encode(JSON.stringify(buildStatement(manifest.files, predicate)));
  const signature = signingKey.sign(preAuthEncoding(DSSE_PAYLOAD_TYPE, payload));
  const envelope: DsseEnvelope = {
    payloadType: DSSE_PAYLOAD_TYPE,
    payload: Buffer.from(payload).toString('base64'),
    signatures: [{ keyid: signingKey.keyId, sig: Buffer.from(signature).toString('base64') }],
  };
  await zip.addBuffer(BUNDLE_FILES.signature, jsonBytes(envelope));
  await zip.addBuffer(BUNDLE_FILES.signerPublicKey, encoder.encode(signingKey.publicKeyPem));
  return { keyId: signingKey.keyId, files: manifest.files, caseRecord, bytes };
}
