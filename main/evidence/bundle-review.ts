// Opens a bundle for offline, read-only review (the app's "open bundle" and `vigil serve --bundle`): verified first,
// then every file parsed against its schema, all in memory — nothing is written anywhere. Structural damage (a
// hostile or broken archive, malformed JSON, wrong shapes) throws BundleFormatError and the bundle does not open; a
// sound bundle that fails verification opens with `verified: false` and its problems, for a clearly marked
// "unverified" view.
import { z } from 'zod';
import { caseRecordSchema, notesSchema, queryRecordSchema, type CaseRecord, type Note, type QueryRecord } from '../../shared/evidence/case-record.js';
import { BUNDLE_FILES, BUNDLE_FOLDERS } from '../../shared/evidence/layout.js';
import { runtimeEventSchema, type RuntimeEvent } from '../../shared/model/event.js';
import { inventorySnapshotSchema, type InventorySnapshot } from '../../shared/model/inventory.js';
import { verifyBundle, type VerificationReport } from './bundle-verifier.js';
import type { TrustedKeys } from './trusted-keys.js';
import { BundleFormatError, ZipArchiveReader, type ReadLimits, type ZipEntry } from './zip-reader.js';

export interface ReviewedBundle {
  file: string;
  verified: boolean;
  report: VerificationReport;
  caseRecord: CaseRecord;
  /** Empty when opened with keepEvents: false. */
  events: RuntimeEvent[];
  eventCount: number;
  inventory: InventorySnapshot[];
  /** Action log entries as recorded (each carries seq, prevHash, hash). */
  actions: Record<string, unknown>[];
  graph: unknown;
  aibom: unknown;
  stories: unknown;
  notes: Note[];
  queries: QueryRecord[];
  /** Generated policies as the YAML they would be applied with, and their audit-mode replays. */
  policies: { fileName: string; text: string }[];
  replays: { fileName: string; value: unknown }[];
}

function bad(file: string, name: string, problem: string): never {
  throw new BundleFormatError(`${file} cannot be opened: ${name} ${problem}`);
}

function parsed<T>(file: string, name: string, text: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    bad(file, name, `is not valid JSON (${(error as Error).message})`);
  }
  const result = schema.safeParse(value);
  if (!result.success) bad(file, name, `has the wrong shape (${result.error.issues[0]?.path.join('.') || 'top level'}: ${result.error.issues[0]?.message})`);
  return result.data;
}

function lines<T>(file: string, name: string, text: string, schema: z.ZodType<T>): T[] {
  const out: T[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() !== '') out.push(parsed(file, `${name} line ${index + 1}`, line, schema));
  });
  return out;
}

/**
 * The events file's lines in chunks of whole lines (about `chunkChars` each), each line checked against the event
 * schema on the way; a bad line throws BundleFormatError naming it. Nothing is kept, so a million events stream in
 * constant memory.
 */
export async function* eventLineChunks(reader: ZipArchiveReader, chunkChars = 512 * 1024): AsyncGenerator<{ text: string; lines: number }> {
  const entry = reader.entry(BUNDLE_FILES.events);
  if (!entry) return;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let lineNumber = 0;
  let out: string[] = [];
  let outChars = 0;
  const take = (line: string) => {
    lineNumber++;
    if (line.trim() === '') return;
    parsed(reader.path, `${BUNDLE_FILES.events} line ${lineNumber}`, line, runtimeEventSchema);
    out.push(line);
    outChars += line.length + 1;
  };
  for await (const chunk of reader.chunks(entry)) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      bad(reader.path, BUNDLE_FILES.events, 'is not UTF-8 text');
    }
    const split = (pending + text).split('\n');
    pending = split.pop()!;
    split.forEach(take);
    if (outChars >= chunkChars) {
      yield { text: `${out.join('\n')}\n`, lines: out.length };
      out = [];
      outChars = 0;
    }
  }
  take(pending);
  if (out.length) yield { text: `${out.join('\n')}\n`, lines: out.length };
}

export async function openBundleForReview(
  file: string,
  options: { trusted: TrustedKeys; limits?: ReadLimits; /** false: check every event but keep none (stream them later with eventLineChunks). */ keepEvents?: boolean },
): Promise<ReviewedBundle> {
  const reader = await ZipArchiveReader.open(file, options.limits);
  const report = await verifyBundle(file, options);
  if (report.structuralError) throw new BundleFormatError(report.structuralError);
  const text = async (entry: ZipEntry) => (await reader.read(entry, 1024 * 1024 * 1024)).toString('utf8');
  const optional = async <T>(name: string, schema: z.ZodType<T>): Promise<T | undefined> => {
    const entry = reader.entry(name);
    return entry ? parsed(file, name, await text(entry), schema) : undefined;
  };
  const caseRecord = await optional(BUNDLE_FILES.case, caseRecordSchema);
  if (!caseRecord) bad(file, BUNDLE_FILES.case, 'is missing: this is not a Vigil evidence bundle');
  const events: RuntimeEvent[] = [];
  let eventCount = 0;
  for await (const chunk of eventLineChunks(reader)) {
    eventCount += chunk.lines;
    if (options.keepEvents !== false) for (const line of chunk.text.split('\n')) if (line !== '') events.push(JSON.parse(line) as RuntimeEvent);
  }
  const actionsEntry = reader.entry(BUNDLE_FILES.actions);
  const queriesEntry = reader.entry(BUNDLE_FILES.queries);
  const inventory: InventorySnapshot[] = [];
  for (const entry of reader.entries.filter((e) => e.name.startsWith(BUNDLE_FOLDERS.inventory))) {
    inventory.push(parsed(file, entry.name, await text(entry), inventorySnapshotSchema) as InventorySnapshot);
  }
  const inFolder = (folder: string) => reader.entries.filter((e) => e.name.startsWith(folder));
  const policies: ReviewedBundle['policies'] = [];
  for (const entry of inFolder(BUNDLE_FOLDERS.policies)) policies.push({ fileName: entry.name.slice(BUNDLE_FOLDERS.policies.length), text: await text(entry) });
  const replays: ReviewedBundle['replays'] = [];
  for (const entry of inFolder(BUNDLE_FOLDERS.replays)) replays.push({ fileName: entry.name.slice(BUNDLE_FOLDERS.replays.length), value: parsed(file, entry.name, await text(entry), z.unknown()) });
  return {
    file,
    verified: report.ok,
    report,
    caseRecord,
    events,
    eventCount,
    inventory,
    actions: actionsEntry ? lines(file, BUNDLE_FILES.actions, await text(actionsEntry), z.record(z.string(), z.unknown())) : [],
    graph: await optional(BUNDLE_FILES.graph, z.unknown()),
    aibom: await optional(BUNDLE_FILES.aibom, z.unknown()),
    stories: await optional(BUNDLE_FILES.stories, z.unknown()),
    notes: (await optional(BUNDLE_FILES.notes, notesSchema)) ?? [],
    queries: queriesEntry ? lines(file, BUNDLE_FILES.queries, await text(queriesEntry), queryRecordSchema) : [],
    policies,
    replays,
  };
}
