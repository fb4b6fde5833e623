// Loads a case for the CLI: an NDJSON events file, or a directory holding events.ndjson with optional inventory.json
// (an array of InventorySnapshot) and actions.jsonl (the hash-chained action log). Every line is validated; any bad
// line fails the whole load with its file and line number, so nothing is ever half-loaded.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { runtimeEventSchema, type RuntimeEvent } from '../../shared/model/event.js';
import { inventorySnapshotSchema, type InventorySnapshot } from '../../shared/model/inventory.js';
import { actionLogEntrySchema } from '../../shared/model/action.js';

export interface LoadedCase {
  /** The file or directory loaded. */
  source: string;
  events: RuntimeEvent[];
  inventory: InventorySnapshot[];
  actions: unknown[];
}

export class CaseLoadError extends Error {
  override name = 'CaseLoadError';
}

const MAX_REPORTED_PROBLEMS = 5;

function describeIssues(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(line)'}: ${i.message}`).join('; ');
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CaseLoadError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Nothing was loaded.`);
  }
}

/** Parses NDJSON lines with a schema; collects up to a few problems, then fails with all of them. */
function parseLines<T>(file: string, text: string, parse: (value: unknown) => { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }): T[] {
  const out: T[] = [];
  const problems: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && problems.length < MAX_REPORTED_PROBLEMS; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.push(`${file}:${i + 1}: not valid JSON (${(error as Error).message})`);
      continue;
    }
    const result = parse(value);
    if (result.success) out.push(result.data);
    else problems.push(`${file}:${i + 1}: ${describeIssues(result.error.issues)}`);
  }
  if (problems.length > 0) throw new CaseLoadError(`${problems.join('\n')}\nNothing was loaded: fix these lines and try again.`);
  return out;
}

export function parseEventsNdjson(file: string, text: string): RuntimeEvent[] {
  const events = parseLines(file, text, (v) => runtimeEventSchema.safeParse(v));
  const firstLine = new Map<string, number>();
  events.forEach((event, index) => {
    const earlier = firstLine.get(event.id);
    if (earlier !== undefined) throw new CaseLoadError(`${file}: event id ${event.id} appears twice (events ${earlier + 1} and ${index + 1}). Nothing was loaded.`);
    firstLine.set(event.id, index);
  });
  return events;
}

export function parseInventoryJson(file: string, text: string): InventorySnapshot[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CaseLoadError(`${file}: not valid JSON (${(error as Error).message}). Nothing was loaded.`);
  }
  if (!Array.isArray(value)) throw new CaseLoadError(`${file}: expected an array of inventory snapshots. Nothing was loaded.`);
  return value.map((snapshot, index) => {
    const result = inventorySnapshotSchema.safeParse(snapshot);
    if (!result.success) throw new CaseLoadError(`${file}: snapshot ${index}: ${describeIssues(result.error.issues)}. Nothing was loaded.`);
    return result.data as InventorySnapshot;
  });
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

export async function loadCase(source: string): Promise<LoadedCase> {
  let info;
  try {
    info = await stat(source);
  } catch {
    throw new CaseLoadError(`no case at ${source}: expected an events .ndjson file or a directory holding events.ndjson`);
  }
  if (info.isFile()) return { source, events: parseEventsNdjson(source, await readText(source)), inventory: [], actions: [] };
  const eventsFile = path.join(source, 'events.ndjson');
  if (!(await exists(eventsFile))) throw new CaseLoadError(`${source} holds no events.ndjson. Nothing was loaded.`);
  const events = parseEventsNdjson(eventsFile, await readText(eventsFile));
  const inventoryFile = path.join(source, 'inventory.json');
  const inventory = (await exists(inventoryFile)) ? parseInventoryJson(inventoryFile, await readText(inventoryFile)) : [];
  const actionsFile = path.join(source, 'actions.jsonl');
  const actions = (await exists(actionsFile)) ? parseLines(actionsFile, await readText(actionsFile), (v) => actionLogEntrySchema.safeParse(v)) : [];
  return { source, events, inventory, actions };
}
