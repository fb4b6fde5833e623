// A bundle verifies as written, and every kind of tampering is caught and named: one changed byte in any file,
// a removed or added file, an edited manifest, a bundle re-signed with another key, a raw byte flipped inside the
// archive, an action log entry edited and re-hashed.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealEntry } from '../../shared/evidence/action-chain.js';
import { findSecrets } from '../../shared/evidence/redaction.js';
import { flipOneByte, readAllEntries, resign, writeEntries } from '../../test/fixtures/bundles/bundle-surgery.js';
import { PLANTED_SECRET_FRAGMENTS, writeSyntheticCase } from '../../test/fixtures/bundles/synthetic-case.js';
import { writeBundle } from './bundle-writer.js';
import { verifyBundle } from './bundle-verifier.js';
import { readCase } from './case-folder.js';
import { withEngineDerivation } from './engine-derivation.js';
import { FileKeyStore } from './keys.js';
import { resolveTrustedKeys, type TrustedKeys } from './trusted-keys.js';

let work: string;
let bundle: string;
let keyStore: FileKeyStore;
let trusted: TrustedKeys;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'vigil-bundle-test-'));
  await writeSyntheticCase(path.join(work, 'case'), 1500, { withSecrets: true });
  keyStore = new FileKeyStore(path.join(work, 'keys'));
  bundle = path.join(work, 'case.vigil');
  await writeBundle(withEngineDerivation(await readCase(path.join(work, 'case'))), bundle, { keyStore });
  trusted = await resolveTrustedKeys([], keyStore);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function tampered(name: string, change: (entries: Map<string, Buffer>) => void | Promise<void>): Promise<string> {
  const entries = await readAllEntries(bundle);
  await change(entries);
  const file = path.join(work, `${name}.vigil`);
  await writeEntries(file, entries);
  return file;
}

describe('a freshly exported bundle', () => {
  it('verifies: signature by the local key, every digest, the action log chain', async () => {
    const report = await verifyBundle(bundle, { trusted });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.signature.status).toBe('valid');
    expect(report.actionLog).toMatchObject({ status: 'intact', entries: 3 });
    expect(report.predicate?.eventCount).toBe(1500);
  });

  it('holds the whole layout, with engine outputs derived from the events', async () => {
    const entries = await readAllEntries(bundle);
    expect([...entries.keys()].sort()).toEqual(
      ['actions.jsonl', 'aibom.cdx.json', 'case.json', 'events/events.ndjson', 'graph.json', 'inventory/vigil-lab.json', 'manifest.json', 'notes.json', 'queries.jsonl', 'signature.dsse.json', 'signer.pub.pem', 'stories.json'].sort(),
    );
    const stories = JSON.parse(entries.get('stories.json')!.toString()) as unknown[];
    expect(stories.length).toBeGreaterThan(0);
    const caseRecord = JSON.parse(entries.get('case.json')!.toString());
    expect(caseRecord.omitted.map((o: { path: string }) => o.path)).toEqual(['policies/', 'replays/']);
  });

  it('holds none of the secrets planted in events, notes and actions', async () => {
    const entries = await readAllEntries(bundle);
    for (const [name, data] of entries) {
      const text = data.toString('utf8');
      for (const fragment of PLANTED_SECRET_FRAGMENTS) expect(text.includes(fragment), `${fragment} in ${name}`).toBe(false);
      expect(findSecrets(text), name).toEqual([]);
    }
    const caseRecord = JSON.parse(entries.get('case.json')!.toString());
    expect(caseRecord.actions.redactedEntries).toEqual([1]);
    expect(Object.values(caseRecord.redactions as Record<string, number>).reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
  });
});

describe('tampering', () => {
  it('a single changed byte in any file fails verification and names that file', async () => {
    const names = [...(await readAllEntries(bundle)).keys()].filter((n) => !['signature.dsse.json', 'signer.pub.pem'].includes(n));
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const name of names) {
      const file = await tampered(`byte-${name.replace(/\W/g, '_')}`, (entries) => {
        entries.set(name, flipOneByte(entries.get(name)!));
      });
      const report = await verifyBundle(file, { trusted });
      expect(report.ok, name).toBe(false);
      expect(report.files.changed, name).toContain(name);
      expect(report.problems.join('\n'), name).toContain(name);
    }
  });

  it('a changed signature envelope or public key fails the signature check', async () => {
    for (const name of ['signature.dsse.json', 'signer.pub.pem']) {
      const file = await tampered(`sig-${name}`, (entries) => {
        entries.set(name, flipOneByte(entries.get(name)!));
      });
      const report = await verifyBundle(file, { trusted });
      expect(report.ok, name).toBe(false);
      expect(report.signature.status, name).toBe('invalid');
      expect(report.signature.message, name).toContain(name === 'signer.pub.pem' ? 'signer.pub.pem' : 'signature');
    }
  });

  it('a removed file is reported missing, an added one extra', async () => {
    const removed = await tampered('removed', (entries) => void entries.delete('notes.json'));
    const removedReport = await verifyBundle(removed, { trusted });
    expect(removedReport.ok).toBe(false);
    expect(removedReport.files.missing).toEqual(['notes.json']);

    const added = await tampered('added', (entries) => void entries.set('inventory/extra.json', Buffer.from('{}')));
    const addedReport = await verifyBundle(added, { trusted });
    expect(addedReport.ok).toBe(false);
    expect(addedReport.files.extra).toEqual(['inventory/extra.json']);
  });

  it('a bundle re-signed with another key is reported as signed by an unknown key', async () => {
    const otherStore = new FileKeyStore(path.join(work, 'other-keys'));
    const other = await otherStore.signingKey();
    const file = await tampered('resigned', (entries) => resign(entries, other));
    const report = await verifyBundle(file, { trusted });
    expect(report.ok).toBe(false);
    expect(report.signature.status).toBe('unknown-key');
    expect(report.signature.message).toContain(`signed by an unknown key ${other.keyId}`);
    expect(report.files.changed).toEqual([]);
    // Trusting that key (by id, or by its PEM file) makes the same bundle verify.
    expect((await verifyBundle(file, { trusted: await resolveTrustedKeys([other.keyId], undefined) })).ok).toBe(true);
    expect((await verifyBundle(file, { trusted: await resolveTrustedKeys([otherStore.publicKeyPath], undefined) })).ok).toBe(true);
  });

  it('an action log entry edited and re-hashed breaks the chain even when digests and signature are redone', async () => {
    const otherStore = new FileKeyStore(path.join(work, 'keys'));
    const file = await tampered('rechained', async (entries) => {
      const lines = entries.get('actions.jsonl')!.toString().trim().split('\n').map((l) => JSON.parse(l));
      const { seq: _s, prevHash: _p, hash: _h, ...record } = lines[1];
      const forged = sealEntry({ seq: lines[0].seq, hash: lines[0].hash }, { ...record, outcome: 'rejected' });
      lines[1] = forged;
      entries.set('actions.jsonl', Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n') + '\n'));
      // Update the manifest and statement digests and re-sign with the trusted key: only the chain can tell.
      const { createHash } = await import('node:crypto');
      const digest = createHash('sha256').update(entries.get('actions.jsonl')!).digest('hex');
      const manifest = JSON.parse(entries.get('manifest.json')!.toString());
      for (const f of manifest.files) if (f.path === 'actions.jsonl') Object.assign(f, { sha256: digest, size: entries.get('actions.jsonl')!.length });
      entries.set('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
      const envelope = JSON.parse(entries.get('signature.dsse.json')!.toString());
      const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString());
      for (const s of statement.subject) if (s.name === 'actions.jsonl') s.digest.sha256 = digest;
      envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
      entries.set('signature.dsse.json', Buffer.from(JSON.stringify(envelope)));
      resign(entries, await otherStore.signingKey());
    });
    const report = await verifyBundle(file, { trusted });
    expect(report.signature.status).toBe('valid');
    expect(report.files.changed).toEqual([]);
    expect(report.ok).toBe(false);
    expect(report.actionLog.status).toBe('broken');
    expect(report.problems.join('\n')).toMatch(/action log's hash chain is broken: entry 1 \(line 2\) was altered/);
  });

  it('a byte flipped inside the compressed archive names the damaged file', async () => {
    const raw = await readFile(bundle);
    const reader = await (await import('./zip-reader.js')).ZipArchiveReader.open(bundle);
    const notes = reader.entry('notes.json')!;
    raw[notes.dataOffset + Math.floor(notes.compressedSize / 2)]! ^= 0x10;
    const file = path.join(work, 'flipped.vigil');
    await writeFile(file, raw);
    const report = await verifyBundle(file, { trusted });
    expect(report.ok).toBe(false);
    expect(report.files.changed).toContain('notes.json');
    expect(report.files.damaged.map((d) => d.path)).toEqual(['notes.json']);
  });
});
