// Loading cases: files and directories, every line validated, errors naming file and line, nothing half-loaded.
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseLoadError, loadCase } from './load-case.js';

const fixtures = path.resolve(import.meta.dirname, '../../test/fixtures/events');
const attack = readFileSync(path.join(fixtures, 'cryptominer.ndjson'), 'utf8');

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'vigil-case-'));
}

describe('loadCase', () => {
  it('loads an NDJSON file', async () => {
    const loaded = await loadCase(path.join(fixtures, 'cryptominer.ndjson'));
    expect(loaded.events).toHaveLength(attack.trim().split('\n').length);
    expect(loaded.inventory).toEqual([]);
  });

  it('loads a directory with events, inventory and an empty action log', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'events.ndjson'), attack);
    writeFileSync(path.join(dir, 'inventory.json'), readFileSync(path.join(fixtures, 'inventory.json')));
    writeFileSync(path.join(dir, 'actions.jsonl'), '\n');
    const loaded = await loadCase(dir);
    expect(loaded.events.length).toBeGreaterThan(5);
    expect(loaded.inventory[0]!.objects.some((o) => o.kind === 'Pod')).toBe(true);
    expect(loaded.actions).toEqual([]);
  });

  it('names the file and line of a bad event and loads nothing', async () => {
    const dir = tempDir();
    const lines = attack.trim().split('\n');
    const broken = JSON.parse(lines[3]!);
    delete broken.time;
    lines[3] = JSON.stringify(broken);
    lines[6] = '{not json';
    const file = path.join(dir, 'events.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const error = await loadCase(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaseLoadError);
    expect((error as Error).message).toContain(`${file}:4: time:`);
    expect((error as Error).message).toContain(`${file}:7: not valid JSON`);
    expect((error as Error).message).toContain('Nothing was loaded');
  });

  it('rejects duplicate event ids and a malformed inventory', async () => {
    const dir = tempDir();
    const first = attack.split('\n')[0]!;
    writeFileSync(path.join(dir, 'events.ndjson'), `${first}\n${first}\n`);
    await expect(loadCase(dir)).rejects.toThrow(/appears twice/);
    const dir2 = tempDir();
    writeFileSync(path.join(dir2, 'events.ndjson'), attack);
    writeFileSync(path.join(dir2, 'inventory.json'), JSON.stringify({ objects: [] }));
    await expect(loadCase(dir2)).rejects.toThrow(/expected an array of inventory snapshots/);
  });

  it('explains a missing case', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'empty'));
    await expect(loadCase(path.join(dir, 'nope'))).rejects.toThrow(/no case at/);
    await expect(loadCase(path.join(dir, 'empty'))).rejects.toThrow(/holds no events.ndjson/);
  });
});
