import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticEvent, syntheticInventory } from '../../test/fixtures/bundles/synthetic-case.js';
import { CaseReadError, readCase, readEventsFile } from './case-folder.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'vigil-case-folder-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('reading a case folder', () => {
  it('streams events with their original text, skipping blank lines and CRLF endings', async () => {
    const lines = [0, 1, 2].map((i) => JSON.stringify(syntheticEvent(i)));
    const file = path.join(work, 'events.ndjson');
    await writeFile(file, `${lines[0]}\r\n\n${lines[1]}\n${lines[2]}`);
    const records = await collect(readEventsFile(file));
    expect(records.map((r) => r.text)).toEqual(lines);
    expect(records.map((r) => r.event.id)).toEqual([0, 1, 2].map((i) => syntheticEvent(i).id));
  });

  it('names the file and line of a bad event', async () => {
    const file = path.join(work, 'bad.ndjson');
    await writeFile(file, `${JSON.stringify(syntheticEvent(0))}\n{"id":"x"}\n`);
    await expect(collect(readEventsFile(file))).rejects.toThrow(/bad\.ndjson line 2 is not a Vigil event/);
    await writeFile(file, `${JSON.stringify(syntheticEvent(0))}\n{oops\n`);
    await expect(collect(readEventsFile(file))).rejects.toThrow(/bad\.ndjson line 2 is not valid JSON/);
  });

  it('accepts one inventory snapshot or a list, and refuses a folder without events', async () => {
    const folder = path.join(work, 'case');
    await mkdir(folder);
    await expect(readCase(folder)).rejects.toThrow(CaseReadError);
    await writeFile(path.join(folder, 'events.ndjson'), `${JSON.stringify(syntheticEvent(0))}\n`);
    await writeFile(path.join(folder, 'inventory.json'), JSON.stringify(syntheticInventory()));
    expect((await readCase(folder)).inventory).toHaveLength(1);
    await writeFile(path.join(folder, 'inventory.json'), JSON.stringify([syntheticInventory(), { ...syntheticInventory(), context: 'other' }]));
    expect((await readCase(folder)).inventory.map((s) => s.context)).toEqual(['vigil-lab', 'other']);
    await writeFile(path.join(folder, 'inventory.json'), '{"objects": 3}');
    await expect(readCase(folder)).rejects.toThrow(/inventory\.json does not have the expected shape/);
  });
});
