// Hostile archives are refused with a clear error and leave nothing behind: no file outside the case folder, and
// no half-extracted case folder either.
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRawZip, type RawEntry } from '../../test/fixtures/bundles/raw-zip.js';
import { readAllEntries, writeEntries } from '../../test/fixtures/bundles/bundle-surgery.js';
import { writeSyntheticCase } from '../../test/fixtures/bundles/synthetic-case.js';
import { writeBundle } from './bundle-writer.js';
import { extractBundle } from './bundle-extractor.js';
import { verifyBundle } from './bundle-verifier.js';
import { readCase } from './case-folder.js';
import { FileKeyStore } from './keys.js';
import { resolveTrustedKeys, type TrustedKeys } from './trusted-keys.js';
import { BundleFormatError, DEFAULT_READ_LIMITS } from './zip-reader.js';

let work: string;
let goodBundle: string;
let trusted: TrustedKeys;

const text = (s: string) => Buffer.from(s, 'utf8');

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'vigil-hostile-'));
  await writeSyntheticCase(path.join(work, 'case'), 50);
  const keyStore = new FileKeyStore(path.join(work, 'keys'));
  goodBundle = path.join(work, 'good.vigil');
  await writeBundle(await readCase(path.join(work, 'case')), goodBundle, { keyStore });
  trusted = await resolveTrustedKeys([], keyStore);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) out.push(path.join(entry.parentPath, entry.name));
  return out.sort();
}

/** Extracts `archive` into a fresh folder below an empty sandbox and checks that it is refused and writes nothing. */
async function expectRefused(name: string, archive: Buffer, pattern: RegExp, limits = DEFAULT_READ_LIMITS): Promise<void> {
  const sandbox = path.join(work, `sandbox-${name}`);
  const deep = path.join(sandbox, 'a', 'b');
  await mkdir(deep, { recursive: true });
  const file = path.join(sandbox, 'hostile.vigil');
  await writeFile(file, archive);
  const before = await listTree(sandbox);
  const into = path.join(deep, 'case');
  const error = await extractBundle(file, into, { trusted, limits }).then(() => undefined, (e: unknown) => e);
  expect(error, name).toBeInstanceOf(BundleFormatError);
  expect((error as Error).message, name).toMatch(pattern);
  expect(await listTree(sandbox), `${name} wrote something`).toEqual(before);
  expect(await stat('/tmp/absolute-vigil-escape.txt').then(() => true, () => false)).toBe(false);
}

const caseJson = text('{"formatVersion":1}');

describe('hostile archives are rejected before anything is written', () => {
  const cases: [string, RawEntry[], RegExp][] = [
    ['traversal', [{ name: '../../escaped.txt', data: text('x') }], /climbs out of its folder/],
    ['nested traversal', [{ name: 'events/../../../escaped.txt', data: text('x') }], /climbs out of its folder/],
    ['absolute path', [{ name: '/tmp/absolute-vigil-escape.txt', data: text('x') }], /absolute path/],
    ['drive letter', [{ name: 'C:/escape.txt', data: text('x') }], /drive letter/],
    ['backslash', [{ name: '..\\escape.txt', data: text('x') }], /backslash/],
    ['control character', [{ name: 'case\u0000.json', data: text('x') }], /control character/],
    ['duplicate entry', [{ name: 'case.json', data: caseJson }, { name: 'case.json', data: caseJson }], /appears more than once/],
    ['case collision', [{ name: 'case.json', data: caseJson }, { name: 'CASE.json', data: caseJson }], /differ only in letter case/],
    ['symbolic link', [{ name: 'inventory/link.json', data: text('/etc/passwd'), unixMode: 0o120777 }], /symbolic link/],
    ['directory entry', [{ name: 'events/', data: text('') }], /directory entry/],
    ['device file', [{ name: 'inventory/dev.json', data: text(''), unixMode: 0o020644 }], /not a regular file/],
    ['encrypted entry', [{ name: 'case.json', data: caseJson, flags: 0x0801 }], /encrypted/],
    ['unknown compression', [{ name: 'case.json', data: caseJson, method: 12 }], /compression method 12/],
    ['zip bomb (ratio)', [{ name: 'events/events.ndjson', data: Buffer.alloc(64 * 1024 * 1024) }], /would expand \d+-fold/],
    ['absurd declared sizes', [0, 1, 2].map((i) => ({ name: `inventory/${i}.json`, data: text('{}'), declaredSize: 0xfffffff0, declaredCompressedSize: 0xfffffff0 })), /lies outside|more than|overlaps/],
    ['overlapping entries', [{ name: 'case.json', data: caseJson }, { name: 'notes.json', data: caseJson, reuseLocalHeaderOf: 0 }], /disagrees|overlaps/],
  ];
  for (const [name, entries, pattern] of cases) {
    it(`${name}`, async () => {
      await expectRefused(name.replace(/\W+/g, '-'), buildRawZip(entries), pattern);
    });
  }

  it('an entry that inflates beyond its declared size (lying header)', async () => {
    const archive = buildRawZip([{ name: 'events/events.ndjson', data: Buffer.alloc(2 * 1024 * 1024, 0x61), declaredSize: 1000 }]);
    await expectRefused('lying-size', archive, /inflates to more than its declared 1000 bytes/);
  });

  it('more entries than allowed', async () => {
    const entries = Array.from({ length: 20 }, (_, i) => ({ name: `inventory/${i}.json`, data: text('{}') }));
    await expectRefused('too-many', buildRawZip(entries), /20 entries, more than the 10 allowed/, { ...DEFAULT_READ_LIMITS, maxEntries: 10 });
  });

  it('a file that is not a ZIP archive, and one cut short', async () => {
    await expectRefused('not-zip', text('this is not a bundle\n'.repeat(10)), /no ZIP end-of-central-directory record/);
    const good = await readAllEntries(goodBundle);
    const repacked = path.join(work, 'repacked.vigil');
    await writeEntries(repacked, good);
    const bytes = (await import('node:fs/promises')).readFile(repacked);
    await expectRefused('truncated', (await bytes).subarray(0, (await bytes).length - 200), /end-of-central-directory|cut short|outside/);
  });

  it('verification reports the structural problem and checks nothing else', async () => {
    const file = path.join(work, 'traversal.vigil');
    await writeFile(file, buildRawZip([{ name: '../x', data: text('x') }]));
    const report = await verifyBundle(file, { trusted });
    expect(report.ok).toBe(false);
    expect(report.structuralError).toMatch(/climbs out of its folder/);
  });
});

describe('sound archives with malformed content are rejected on extraction and leave nothing', () => {
  const variants: [string, (entries: Map<string, Buffer>) => void, RegExp][] = [
    ['malformed JSON', (e) => void e.set('case.json', text('{"formatVersion": 1,')), /case\.json is not valid JSON/],
    ['wrong type', (e) => void e.set('case.json', text('[]')), /case\.json has the wrong shape/],
    ['malformed event line', (e) => void e.set('events/events.ndjson', Buffer.concat([e.get('events/events.ndjson')!, text('{"kind":"process.exec"}\n')])), /events\/events\.ndjson line 51 has the wrong shape/],
    ['inventory of the wrong type', (e) => void e.set('inventory/vigil-lab.json', text('{"objects": 5}')), /inventory\/vigil-lab\.json has the wrong shape/],
    ['binary in a text file', (e) => void e.set('queries.jsonl', Buffer.from([0xff, 0xfe, 0x00, 0x41])), /queries\.jsonl is not UTF-8 text/],
  ];
  for (const [name, change, pattern] of variants) {
    it(name, async () => {
      const entries = await readAllEntries(goodBundle);
      change(entries);
      const file = path.join(work, `${name.replace(/\W+/g, '-')}.vigil`);
      await writeEntries(file, entries);
      const { readFile } = await import('node:fs/promises');
      await expectRefused(`content-${name.replace(/\W+/g, '-')}`, await readFile(file), pattern);
    });
  }

  it('a sound bundle extracts verified; an unverified one extracts marked UNVERIFIED', async () => {
    const into = path.join(work, 'extracted');
    const result = await extractBundle(goodBundle, into, { trusted });
    expect(result.verified).toBe(true);
    expect((await readdir(into)).sort()).toContain('case.json');
    const entries = await readAllEntries(goodBundle);
    entries.set('notes.json', text('[]\n'));
    const changed = path.join(work, 'changed-notes.vigil');
    await writeEntries(changed, entries);
    const unverified = await extractBundle(changed, path.join(work, 'extracted-unverified'), { trusted });
    expect(unverified.verified).toBe(false);
    expect(await (await import('node:fs/promises')).readFile(path.join(work, 'extracted-unverified', 'UNVERIFIED.txt'), 'utf8')).toContain('notes.json was changed');
  });
});
