// Reads a case from disk for export: a folder holding `events.ndjson` and optionally `inventory.json` (one snapshot
// or an array of them), `actions.jsonl`, `notes.json`, `queries.jsonl`, `case.json` ({caseId, title}) and engine
// outputs the engine already wrote (`graph.json`, `aibom.cdx.json`, `stories.json`, `policies/`, `replays/`) — or
// a single NDJSON file of events. Everything read is validated; a bad line is named with its file and line number.
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { notesSchema, queryRecordSchema, type Note, type QueryRecord } from '../../shared/evidence/case-record.js';
import { runtimeEventSchema } from '../../shared/model/event.js';
import { inventorySnapshotSchema, type InventorySnapshot } from '../../shared/model/inventory.js';
import type { EngineOutputs, EventRecord, EvidenceContent } from './evidence-content.js';

export class CaseReadError extends Error {
  override name = 'CaseReadError';
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CaseReadError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CaseReadError(`${file} is not valid JSON (${(error as Error).message})`);
  }
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(top level)'}: ${issue.message}` : 'invalid';
}

function validated<T>(file: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new CaseReadError(`${file} does not have the expected shape (${issueText(result.error)})`);
  return result.data;
}

/** The lines of a text file, streamed in large chunks (readline is several times slower for millions of lines). */
async function* textLines(file: string): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024, encoding: 'utf8' }) as AsyncIterable<string>) {
    const text = pending + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      yield text.slice(start, end);
      start = end + 1;
    }
    pending = text.slice(start);
  }
  if (pending !== '') yield pending;
}

/** Streams and validates the events of an NDJSON file, keeping each line's text; blank lines are skipped. */
export async function* readEventsFile(file: string): AsyncGenerator<EventRecord> {
  let lineNumber = 0;
  for await (const raw of textLines(file)) {
    lineNumber++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new CaseReadError(`${file} line ${lineNumber} is not valid JSON (${(error as Error).message})`);
    }
    const result = runtimeEventSchema.safeParse(value);
    if (!result.success) throw new CaseReadError(`${file} line ${lineNumber} is not a Vigil event (${issueText(result.error)})`);
    yield { event: result.data, text: line };
  }
}

function readJsonLines<T>(file: string, text: string, schema: z.ZodType<T>): T[] {
  return text
    .split('\n')
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, index }) => validated(`${file} line ${index + 1}`, schema, parseJson(`${file} line ${index + 1}`, line)));
}

const caseInfoSchema = z.object({ caseId: z.string().min(1).max(128).optional(), title: z.string().max(512).optional() }).loose();

async function readFolderFiles(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

async function readEngineOutputs(folder: string): Promise<EngineOutputs> {
  const engine: EngineOutputs = {};
  for (const [key, name] of [['graph', 'graph.json'], ['aibom', 'aibom.cdx.json'], ['stories', 'stories.json']] as const) {
    const text = await readOptional(path.join(folder, name));
    if (text !== null) engine[key] = parseJson(path.join(folder, name), text);
  }
  const policyFiles = await readFolderFiles(path.join(folder, 'policies'));
  if (policyFiles.length > 0) {
    engine.policies = await Promise.all(policyFiles.map(async (fileName) => ({ fileName, text: await readFile(path.join(folder, 'policies', fileName), 'utf8') })));
  }
  const replayFiles = (await readFolderFiles(path.join(folder, 'replays'))).filter((f) => f.endsWith('.json'));
  if (replayFiles.length > 0) {
    engine.replays = await Promise.all(
      replayFiles.map(async (fileName) => ({ fileName, value: parseJson(path.join(folder, 'replays', fileName), await readFile(path.join(folder, 'replays', fileName), 'utf8')) })),
    );
  }
  return engine;
}

/** Loads a case folder (or one NDJSON events file) as bundle content. */
export async function readCase(location: string): Promise<EvidenceContent> {
  const info = await stat(location).catch(() => {
    throw new CaseReadError(`${location} does not exist`);
  });
  const absolute = path.resolve(location);
  if (info.isFile()) {
    return {
      caseId: path.basename(absolute).replace(/\.[^.]*$/, '') || 'case',
      title: `Events from ${path.basename(absolute)}`,
      source: { kind: 'case', location: absolute },
      events: () => readEventsFile(absolute),
      inventory: [],
      actionLog: null,
      notes: [],
      queries: [],
      engine: {},
      omitted: [],
    };
  }
  const eventsFile = path.join(absolute, 'events.ndjson');
  if ((await stat(eventsFile).catch(() => null))?.isFile() !== true) throw new CaseReadError(`${absolute} has no events.ndjson; nothing to export`);
  const caseText = await readOptional(path.join(absolute, 'case.json'));
  const caseInfo = caseText === null ? {} : validated(path.join(absolute, 'case.json'), caseInfoSchema, parseJson(path.join(absolute, 'case.json'), caseText));
  const inventoryText = await readOptional(path.join(absolute, 'inventory.json'));
  let inventory: InventorySnapshot[] = [];
  if (inventoryText !== null) {
    const value = parseJson(path.join(absolute, 'inventory.json'), inventoryText);
    inventory = validated(path.join(absolute, 'inventory.json'), z.array(inventorySnapshotSchema), Array.isArray(value) ? value : [value]) as InventorySnapshot[];
  }
  const notesText = await readOptional(path.join(absolute, 'notes.json'));
  const notes: Note[] = notesText === null ? [] : validated(path.join(absolute, 'notes.json'), notesSchema, parseJson(path.join(absolute, 'notes.json'), notesText));
  const queriesText = await readOptional(path.join(absolute, 'queries.jsonl'));
  const queries: QueryRecord[] = queriesText === null ? [] : readJsonLines(path.join(absolute, 'queries.jsonl'), queriesText, queryRecordSchema);
  return {
    caseId: caseInfo.caseId ?? path.basename(absolute),
    title: caseInfo.title ?? `Case ${path.basename(absolute)}`,
    source: { kind: 'case', location: absolute },
    events: () => readEventsFile(eventsFile),
    inventory,
    actionLog: await readOptional(path.join(absolute, 'actions.jsonl')),
    notes,
    queries,
    engine: await readEngineOutputs(absolute),
    omitted: [],
  };
}
