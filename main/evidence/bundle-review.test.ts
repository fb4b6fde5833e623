import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllEntries, writeEntries } from '../../test/fixtures/bundles/bundle-surgery.js';
import { buildRawZip } from '../../test/fixtures/bundles/raw-zip.js';
import { signedSyntheticBundle } from '../../test/fixtures/bundles/signed-synthetic-bundle.js';
import { openBundleForReview } from './bundle-review.js';
import type { TrustedKeys } from './trusted-keys.js';
import { BundleFormatError } from './zip-reader.js';

let work: string;
let bundle: string;
let trusted: TrustedKeys;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'vigil-review-'));
  ({ bundle, trusted } = await signedSyntheticBundle(work, 200));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('opening a bundle for offline review', () => {
  it('opens a verified bundle with every file parsed', async () => {
    const opened = await openBundleForReview(bundle, { trusted });
    expect(opened.verified).toBe(true);
    expect(opened.events).toHaveLength(200);
    expect(opened.inventory[0]?.context).toBe('vigil-lab');
    expect(opened.actions).toHaveLength(3);
    expect(opened.caseRecord.caseId).toBe('case-research-agent');
  });

  it('opens a changed bundle as unverified, naming what changed', async () => {
    const entries = await readAllEntries(bundle);
    entries.set('notes.json', Buffer.from('[]\n'));
    const changed = path.join(work, 'changed.vigil');
    await writeEntries(changed, entries);
    const opened = await openBundleForReview(changed, { trusted });
    expect(opened.verified).toBe(false);
    expect(opened.report.files.changed).toEqual(['notes.json']);
  });

  it('does not open a structurally damaged or malformed bundle', async () => {
    const hostile = path.join(work, 'hostile.vigil');
    await writeFile(hostile, buildRawZip([{ name: '../x', data: Buffer.from('x') }]));
    await expect(openBundleForReview(hostile, { trusted })).rejects.toBeInstanceOf(BundleFormatError);
    const entries = await readAllEntries(bundle);
    entries.set('case.json', Buffer.from('{"formatVersion": 1'));
    const malformed = path.join(work, 'malformed.vigil');
    await writeEntries(malformed, entries);
    await expect(openBundleForReview(malformed, { trusted })).rejects.toThrow(/case\.json is not valid JSON/);
  });
});
