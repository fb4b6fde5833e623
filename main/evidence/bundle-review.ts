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
  events: RuntimeEvent[];
  inventory: InventorySnapshot[];
  /** Action log entries as recorded (each carries seq, prevHash, hash). */
  actions: Record<string, unknown>[];
  graph: unknown;
  aibom: unknown;
  stories: unknown;
  notes: Note[];
  queries: QueryRecord[];
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

export async function openBundleForReview(file: string, options: { trusted: TrustedKeys; limits?: ReadLimits }): Promise<ReviewedBundle> {
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
  const eventsEntry = reader.entry(BUNDLE_FILES.events);
  const actionsEntry = reader.entry(BUNDLE_FILES.actions);
  const queriesEntry = reader.entry(BUNDLE_FILES.queries);
  const inventory: InventorySnapshot[] = [];
  for (const entry of reader.entries.filter((e) => e.name.startsWith(BUNDLE_FOLDERS.inventory))) {
    inventory.push(parsed(file, entry.name, await text(entry), inventorySnapshotSchema) as InventorySnapshot);
  }
  return {
    file,
    verified: report.ok,
    report,
    caseRecord,
    events: eventsEntry ? lines(file, BUNDLE_FILES.events, await text(eventsEntry), runtimeEventSchema) : [],
    inventory,
    actions: actionsEntry ? lines(file, BUNDLE_FILES.actions, await text(actionsEntry), z.record(z.string(), z.unknown())) : [],
    graph: await optional(BUNDLE_FILES.graph, z.unknown()),
    aibom: await optional(BUNDLE_FILES.aibom, z.unknown()),
    stories: await optional(BUNDLE_FILES.stories, z.unknown()),
    notes: (await optional(BUNDLE_FILES.notes, notesSchema)) ?? [],
    queries: queriesEntry ? lines(file, BUNDLE_FILES.queries, await text(queriesEntry), queryRecordSchema) : [],
  };
}
