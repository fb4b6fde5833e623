// ZIP64: entries, offsets and directories past the 32-bit fields, and more than 65,535 entries. Real 4 GiB archives
// take minutes to write, so the writer is told to use ZIP64 fields from a low size on (`zip64From`); the same code
// path then runs on small files, checked both ways against tools that are not Vigil (Python's zipfile, Info-ZIP).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_READ_LIMITS, ZipArchiveReader } from './zip-reader.js';
import { ZipFileWriter } from './zip-writer.js';

let work: string;
const python = spawnSync('python3', ['-c', 'import zipfile'], { encoding: 'utf8' }).status === 0;
const unzip = spawnSync('unzip', ['-v'], { encoding: 'utf8' }).status === 0;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'vigil-zip64-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const payload = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => `line ${i} ${'x'.repeat(i % 40)}\n`).join(''));
const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

async function writeArchive(file: string, entries: [string, Buffer][], zip64From?: number): Promise<void> {
  const writer = await ZipFileWriter.create(file, { level: 1, ...(zip64From !== undefined ? { zip64From } : {}) });
  for (const [name, data] of entries) await writer.addBuffer(name, data);
  await writer.close();
}

describe('ZIP64', () => {
  const entries: [string, Buffer][] = [['events/events.ndjson', payload(20_000)], ['case.json', Buffer.from('{"a":1}')], ['empty.txt', Buffer.alloc(0)]];

  it('writes ZIP64 sizes, offsets and end records that Vigil reads back byte for byte', async () => {
    const file = path.join(work, 'wide.zip');
    await writeArchive(file, entries, 1);
    const bytes = await readFile(file);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06])), 'a ZIP64 end record').toBe(true);
    const reader = await ZipArchiveReader.open(file);
    expect(reader.entries.map((e) => e.name)).toEqual(entries.map(([name]) => name));
    for (const [name, data] of entries) expect(sha(await reader.read(reader.entry(name)!))).toBe(sha(data));
  });

  it('keeps small archives plain ZIP (no ZIP64 record)', async () => {
    const file = path.join(work, 'plain.zip');
    await writeArchive(file, entries);
    expect((await readFile(file)).includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(false);
    expect((await ZipArchiveReader.open(file)).entries).toHaveLength(3);
  });

  it.skipIf(!python)('is read by Python\'s zipfile, and reads what Python writes with ZIP64 (skipped: no python3)', async () => {
    const ours = path.join(work, 'ours.zip');
    await writeArchive(ours, entries, 1);
    const check = spawnSync('python3', ['-c', `
import zipfile, hashlib, sys
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(" ".join(f"{i.filename}={hashlib.sha256(z.read(i)).hexdigest()}" for i in z.infolist()))
`, ours], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.stdout.trim().split(' ')).toEqual(entries.map(([name, data]) => `${name}=${sha(data)}`));

    const theirs = path.join(work, 'theirs.zip');
    await writeFile(path.join(work, 'data.bin'), entries[0]![1]);
    const made = spawnSync('python3', ['-c', `
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    with open(sys.argv[2], "rb") as src, z.open("events/events.ndjson", "w", force_zip64=True) as dst:
        dst.write(src.read())
`, theirs, path.join(work, 'data.bin')], { encoding: 'utf8' });
    expect(made.stderr).toBe('');
    const reader = await ZipArchiveReader.open(theirs);
    expect(sha(await reader.read(reader.entry('events/events.ndjson')!))).toBe(sha(entries[0]![1]));
  });

  it.skipIf(!unzip)('passes Info-ZIP unzip -t (skipped: no unzip)', async () => {
    const file = path.join(work, 'unzip.zip');
    await writeArchive(file, entries, 1);
    const tested = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(tested.stdout).toContain('No errors detected');
  });

  it('holds more than 65,535 entries (ZIP64 end record), read with a raised entry limit and refused under the default', async () => {
    const file = path.join(work, 'many.zip');
    const writer = await ZipFileWriter.create(file, { level: 1 });
    for (let i = 0; i < 66_000; i++) await writer.addBuffer(`policies/p${i}.yaml`, Buffer.from(`n: ${i}\n`));
    await writer.close();
    const reader = await ZipArchiveReader.open(file, { ...DEFAULT_READ_LIMITS, maxEntries: 70_000 });
    expect(reader.entries).toHaveLength(66_000);
    expect((await reader.read(reader.entry('policies/p65999.yaml')!)).toString()).toBe('n: 65999\n');
    await expect(ZipArchiveReader.open(file)).rejects.toThrow(/66000 entries, more than the 10000 allowed/);
    if (python) {
      const counted = spawnSync('python3', ['-c', 'import zipfile,sys; print(len(zipfile.ZipFile(sys.argv[1]).infolist()))', file], { encoding: 'utf8' });
      expect(counted.stdout.trim()).toBe('66000');
    }
  }, 120_000);

  it('refuses a ZIP64 end record that is missing, or points outside the archive', async () => {
    const file = path.join(work, 'wide-broken.zip');
    await writeArchive(file, entries, 1);
    const bytes = await readFile(file);
    const locatorAt = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x06, 0x07]));
    const pointing = Buffer.from(bytes);
    pointing.writeBigUInt64LE(BigInt(bytes.length * 4), locatorAt + 8);
    await writeFile(file, pointing);
    await expect(ZipArchiveReader.open(file)).rejects.toThrow(/ZIP64 end record lies outside the archive/);
    const missing = Buffer.from(bytes);
    missing.writeUInt32LE(0, locatorAt);
    await writeFile(file, missing);
    await expect(ZipArchiveReader.open(file)).rejects.toThrow(/asks for ZIP64 but there is no ZIP64 locator/);
  });
});
