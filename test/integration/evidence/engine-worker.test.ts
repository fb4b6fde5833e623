// The bundled CLI derives graph, stories and AI-BOM in a worker thread while it writes the bundle: the bundle must be
// the same as with the engine in the main thread (VIGIL_ENGINE_WORKER=0), on the lab's attack scenario.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipArchiveReader } from '../../../main/evidence/zip-reader.js';
import { REPO, vigil } from './run-tools.js';

let work: string;
let caseDir: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'vigil-engine-worker-'));
  caseDir = path.join(work, 'case');
  await mkdir(caseDir);
  const fixtures = path.join(REPO, 'test/fixtures/events');
  const events = (await readFile(path.join(fixtures, 'baseline-traffic.ndjson'), 'utf8')) + (await readFile(path.join(fixtures, 'indirect-prompt-injection-exfil.ndjson'), 'utf8'));
  await writeFile(path.join(caseDir, 'events.ndjson'), events);
  await writeFile(path.join(caseDir, 'inventory.json'), await readFile(path.join(fixtures, 'inventory.json')));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function derived(bundle: string): Promise<Record<string, string>> {
  const reader = await ZipArchiveReader.open(bundle);
  const out: Record<string, string> = {};
  for (const name of ['graph.json', 'stories.json', 'aibom.cdx.json']) out[name] = (await reader.read(reader.entry(name)!)).toString('utf8');
  return out;
}

describe('engine derivation while exporting', () => {
  it('gives the same graph, stories and AI-BOM in the worker thread as in the main thread', async () => {
    const env = { XDG_CONFIG_HOME: path.join(work, 'config') };
    const inWorker = vigil(['evidence', 'export', '--case', caseDir, '--out', path.join(work, 'worker.vigil')], env);
    expect(inWorker.code, inWorker.stderr).toBe(0);
    const inline = vigil(['evidence', 'export', '--case', caseDir, '--out', path.join(work, 'inline.vigil')], { ...env, VIGIL_ENGINE_WORKER: '0' });
    expect(inline.code, inline.stderr).toBe(0);
    const a = await derived(path.join(work, 'worker.vigil'));
    const b = await derived(path.join(work, 'inline.vigil'));
    expect(JSON.parse(a['stories.json']!).length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  });

  it('stops its worker when the export fails part-way: the command exits 1 at once instead of hanging', async () => {
    const broken = path.join(work, 'broken');
    await mkdir(broken);
    const events = (await readFile(path.join(caseDir, 'events.ndjson'), 'utf8')).split('\n');
    events.splice(2_100, 0, '{"id": "cut short');
    await writeFile(path.join(broken, 'events.ndjson'), events.join('\n'));
    const started = Date.now();
    const result = spawnSync(path.join(REPO, 'bin/vigil'), ['evidence', 'export', '--case', broken, '--out', path.join(work, 'broken.vigil')], {
      env: { ...process.env, XDG_CONFIG_HOME: path.join(work, 'config') }, encoding: 'utf8', timeout: 60_000,
    });
    expect(result.signal, 'the command hung and was killed after 60 s').toBeNull();
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/line 2101 is not valid JSON/);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
