import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllEntries, writeEntries } from '../../test/fixtures/bundles/bundle-surgery.js';
import { buildRawZip } from '../../test/fixtures/bundles/raw-zip.js';
import { signedSyntheticBundle } from '../../test/fixtures/bundles/signed-synthetic-bundle.js';
import { createAppGateway } from '../gateway/app-gateway.js';
import { BundleUploads, UPLOAD_CHUNK_BYTES } from './bundle-upload.js';
import { BundleRefusedError, ReviewSession } from './review-session.js';
import type { TrustedKeys } from './trusted-keys.js';

let work: string;
let bundle: string;
let trusted: TrustedKeys;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'vigil-review-session-'));
  ({ bundle, trusted } = await signedSyntheticBundle(work, 3000));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const session = () => new ReviewSession(async () => trusted);

describe('a review session', () => {
  it('opens a verified bundle read-only and streams every event line from it, in order', async () => {
    const review = session();
    expect(review.readOnly).toBe(false);
    const opened = await review.open(bundle, { openedBy: 'upload' });
    expect(opened).toMatchObject({ name: 'b.vigil', verified: true, case: { caseId: 'case-research-agent', eventCount: 3000 } });
    expect(opened.verification.signature.status).toBe('valid');
    expect(opened.actions).toHaveLength(3);
    expect(review.readOnly).toBe(true);
    const lines: string[] = [];
    for await (const chunk of review.eventChunks()) lines.push(...chunk.ndjson.split('\n').filter(Boolean));
    expect(lines).toHaveLength(3000);
    expect(JSON.parse(lines[0]!).id).toBe('lab-node-1/boot-1/0');
    expect(await review.close()).toBe(true);
    expect(review.readOnly).toBe(false);
  });

  it('refuses a hostile archive, keeping the bundle open before', async () => {
    const review = session();
    await review.open(bundle, { openedBy: 'upload' });
    const hostile = path.join(work, 'hostile.vigil');
    await writeFile(hostile, buildRawZip([{ name: '../escape', data: Buffer.from('x') }]));
    await expect(review.open(hostile, { openedBy: 'upload' })).rejects.toThrow(/hostile\.vigil was refused and not opened: .*\.\.\/escape/);
    expect(review.review()?.name).toBe('b.vigil');
  });

  it('keeps a bundle given to vigil serve --bundle open, and refuses another', async () => {
    const review = session();
    await review.open(bundle, { openedBy: 'serve' });
    await expect(review.close()).rejects.toBeInstanceOf(BundleRefusedError);
    await expect(review.open(bundle, { openedBy: 'upload', name: 'other.vigil' })).rejects.toThrow(/started on b\.vigil/);
  });
});

describe('uploads', () => {
  it('refuses a bundle over the size cap before anything is written, and pieces out of order or too long', async () => {
    const uploads = new BundleUploads(1000);
    await expect(uploads.begin('big.vigil', 1001)).rejects.toThrow(/over the .* a bundle may have here; nothing was uploaded/);
    const { uploadId } = await uploads.begin('small.vigil', 10);
    await expect(uploads.chunk(uploadId, 5, Buffer.from('abc').toString('base64'))).rejects.toThrow(/out of order/);
    await expect(uploads.chunk(uploadId, 0, Buffer.alloc(11).toString('base64'))).rejects.toThrow(/longer than the 10 bytes announced/);
    await expect(uploads.complete(uploadId)).rejects.toThrow(/no upload/);
    uploads.disposeSync();
  });

  it('through the gateway: a sent bundle opens read-only (response controls denied with the reason), and closing leaves read-only', async () => {
    const review = session();
    const gateway = createAppGateway({ host: 'browser', readOnly: false, review });
    const bytes = await readFile(bundle);
    const begun = (await gateway.call('evidence.upload-begin', { name: 'sent.vigil', size: bytes.length })) as { uploadId: string; maxChunkBytes: number };
    expect(begun.maxChunkBytes).toBe(UPLOAD_CHUNK_BYTES);
    for (let offset = 0; offset < bytes.length; offset += begun.maxChunkBytes) {
      await gateway.call('evidence.upload-chunk', { uploadId: begun.uploadId, offset, data: bytes.subarray(offset, offset + begun.maxChunkBytes).toString('base64') });
    }
    const opened = (await gateway.call('evidence.upload-open', { uploadId: begun.uploadId })) as { name: string; verified: boolean };
    expect(opened).toMatchObject({ name: 'sent.vigil', verified: true });
    await expect(gateway.call('app.info', {})).resolves.toMatchObject({ readOnly: true });
    const access = (await gateway.call('response.access', { contextId: 'any', source: 'lab', namespace: 'agents' })) as { soft: { allowed: boolean; reason: string } };
    expect(access.soft).toEqual({ allowed: false, reason: expect.stringContaining('read-only evidence bundle') });
    await expect(gateway.call('response.run', { contextId: 'any', source: 'lab', namespace: 'agents', pod: 'p', mode: 'hard', dryRun: false })).rejects.toThrow(/read-only/);
    await expect(gateway.call('evidence.close', {})).resolves.toEqual({ closed: true });
    await expect(gateway.call('app.info', {})).resolves.toMatchObject({ readOnly: false });
    await expect(gateway.call('evidence.review', {})).resolves.toBeNull();
  });

  it('through the gateway: a tampered bundle opens unverified naming the file; a hostile one is refused and its bytes are gone', async () => {
    const review = session();
    const gateway = createAppGateway({ host: 'browser', readOnly: false, review });
    const send = async (name: string, bytes: Buffer) => {
      const { uploadId } = (await gateway.call('evidence.upload-begin', { name, size: bytes.length })) as { uploadId: string };
      await gateway.call('evidence.upload-chunk', { uploadId, offset: 0, data: bytes.toString('base64') });
      return gateway.call('evidence.upload-open', { uploadId });
    };
    const entries = await readAllEntries(bundle);
    entries.set('notes.json', Buffer.from('[]\n'));
    const tampered = path.join(work, 'tampered.vigil');
    await writeEntries(tampered, entries);
    const opened = (await send('tampered.vigil', await readFile(tampered))) as { verified: boolean; verification: { changed: string[]; problems: string[] } };
    expect(opened.verified).toBe(false);
    expect(opened.verification.changed).toEqual(['notes.json']);
    await gateway.call('evidence.close', {});

    const before = readdirSync(os.tmpdir()).filter((n) => n.startsWith('vigil-bundle-upload-'));
    await expect(send('hostile.vigil', buildRawZip([{ name: '/etc/passwd', data: Buffer.from('x') }]))).rejects.toThrow(/hostile\.vigil was refused and not opened/);
    await expect(gateway.call('evidence.review', {})).resolves.toBeNull();
    for (const folder of readdirSync(os.tmpdir()).filter((n) => n.startsWith('vigil-bundle-upload-'))) {
      if (before.includes(folder)) continue;
      expect(readdirSync(path.join(os.tmpdir(), folder)), 'the refused upload left no bytes behind').toEqual([]);
    }
  });
});
