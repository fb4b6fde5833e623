// Reads the files a responder picks for a new case: NDJSON event files (validated line by line) and at most one
// inventory file (a JSON array of InventorySnapshot, as `inventory.json` in a case directory). Everything is read and
// validated before anything is stored; the events of all files come out in the engine's deterministic order.
import { compareEvents, type RuntimeEvent } from '../../../shared/model/event.js';
import { inventorySnapshotSchema, type InventorySnapshot } from '../../../shared/model/inventory.js';
import { NdjsonEventReader } from './ndjson-events.js';

export interface CaseFiles {
  events: RuntimeEvent[];
  inventory: InventorySnapshot[] | undefined;
}

export interface ReadHooks {
  onBytes(done: number, total: number): void;
  checkpoint(): Promise<void>;
}

async function readText(blob: Blob, hooks: ReadHooks, onText: (text: string) => void, offset: number, total: number): Promise<void> {
  const decoder = new TextDecoder();
  const reader = blob.stream().getReader();
  let bytes = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    onText(decoder.decode(value, { stream: true }));
    hooks.onBytes(offset + bytes, total);
    await hooks.checkpoint();
  }
  onText(decoder.decode());
}

function isInventoryName(name: string): boolean {
  return /\.json$/i.test(name) && !/\.(nd|jsonl)/i.test(name);
}

export async function readCaseFiles(files: { blob: Blob; name: string }[], hooks: ReadHooks): Promise<CaseFiles> {
  const total = files.reduce((sum, f) => sum + f.blob.size, 0);
  const inventoryFiles = files.filter((f) => isInventoryName(f.name));
  if (inventoryFiles.length > 1) throw new Error(`pick at most one inventory file (got ${inventoryFiles.map((f) => f.name).join(', ')}). Nothing was imported.`);
  if (inventoryFiles.length === files.length) throw new Error('pick at least one events file (.ndjson) with the inventory. Nothing was imported.');
  const events: RuntimeEvent[] = [];
  const seen = new Set<string>();
  let inventory: InventorySnapshot[] | undefined;
  let offset = 0;
  for (const file of files) {
    if (isInventoryName(file.name)) {
      let text = '';
      await readText(file.blob, hooks, (t) => (text += t), offset, total);
      inventory = parseInventory(file.name, text);
    } else {
      const reader = new NdjsonEventReader(file.name);
      const take = (batch: RuntimeEvent[]) => {
        for (const event of batch) {
          if (seen.has(event.id)) throw new Error(`${file.name}: event id ${event.id} is also in another file. Nothing was imported.`);
          seen.add(event.id);
          events.push(event);
        }
      };
      await readText(file.blob, hooks, (t) => take(reader.push(t)), offset, total);
      take(reader.finish());
    }
    offset += file.blob.size;
  }
  events.sort(compareEvents);
  return { events, inventory };
}

function parseInventory(name: string, text: string): InventorySnapshot[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name}: not JSON (${(error as Error).message}). Nothing was imported.`, { cause: error });
  }
  const parsed = inventorySnapshotSchema.array().safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${name}: not an inventory (an array of snapshots): ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}. Nothing was imported.`);
  }
  return parsed.data as InventorySnapshot[];
}
