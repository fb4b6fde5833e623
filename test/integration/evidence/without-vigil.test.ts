// A bundle's signature and digests check out with tools that are not part of Vigil (unzip, openssl, sha256sum,
// base64, jq), using the script from docs/verify-without-vigil.md verbatim; and the same script catches changes.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllEntries, resealWith, resign, writeEntries, flipOneByte } from '../../fixtures/bundles/bundle-surgery.js';
import { writeSyntheticCase } from '../../fixtures/bundles/synthetic-case.js';
import { FileKeyStore } from '../../../main/evidence/keys.js';
import { hasTool, run, verifyWithoutVigilScript, vigil } from './run-tools.js';

const tools = ['unzip', 'openssl', 'sha256sum', 'base64', 'jq'];
const missing = tools.filter((t) => !hasTool(t));
const skip = missing.length > 0;

let work: string;
let env: Record<string, string>;
let bundle: string;
let publicKey: string;
let script: string;

function verifyWithoutVigil(file: string, key = publicKey) {
  return run('bash', ['-c', script], { BUNDLE: file, PUBKEY: key });
}

async function variant(name: string, change: (entries: Map<string, Buffer>) => void | Promise<void>): Promise<string> {
  const entries = await readAllEntries(bundle);
  await change(entries);
  const file = path.join(work, `${name}.vigil`);
  await writeEntries(file, entries);
  return file;
}

beforeAll(async () => {
  if (skip) return;
  work = await mkdtemp(path.join(os.tmpdir(), 'vigil-without-'));
  env = { XDG_CONFIG_HOME: path.join(work, 'config') };
  await writeSyntheticCase(path.join(work, 'case'), 3000, { withSecrets: true });
  bundle = path.join(work, 'case.vigil');
  const exported = vigil(['evidence', 'export', '--case', path.join(work, 'case'), '--out', bundle], env);
  expect(exported.code, exported.stderr).toBe(0);
  publicKey = new FileKeyStore(path.join(work, 'config', 'vigil', 'keys')).publicKeyPath;
  script = verifyWithoutVigilScript();
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(skip)(`verifying without Vigil${skip ? ` (skipped: ${missing.join(', ')} missing; run scripts/install/evidence.sh)` : ''}`, () => {
  it('the documented openssl + sha256sum + jq steps accept an untouched bundle', () => {
    const result = verifyWithoutVigil(bundle);
    expect(result.stderr + result.stdout).toContain('Signature Verified Successfully');
    expect(result.stdout).toContain('ALL CHECKS PASSED');
    expect(result.stdout).toContain('action log: 3 entries, chain intact');
    expect(result.code).toBe(0);
  });

  it('sha256sum names a changed file', async () => {
    for (const name of ['events/events.ndjson', 'case.json', 'stories.json']) {
      const result = verifyWithoutVigil(await variant(`changed-${name.replace(/\W/g, '_')}`, (e) => void e.set(name, flipOneByte(e.get(name)!))));
      expect(result.code, name).not.toBe(0);
      expect(result.stdout + result.stderr, name).toContain(`${name}: FAILED`);
    }
  });

  it('an extra file and an edited manifest are caught', async () => {
    const extra = verifyWithoutVigil(await variant('extra', (e) => void e.set('policies/planted.yaml', Buffer.from('kind: NetworkPolicy\n'))));
    expect(extra.code).not.toBe(0);
    expect(extra.stdout).toContain('> policies/planted.yaml');
    const manifest = verifyWithoutVigil(await variant('manifest', (e) => void e.set('manifest.json', flipOneByte(e.get('manifest.json')!))));
    expect(manifest.code).not.toBe(0);
  });

  it('openssl rejects a changed statement; a bundle re-signed with another key is signed by an unknown key', async () => {
    const other = await new FileKeyStore(path.join(work, 'other')).signingKey();
    const resigned = verifyWithoutVigil(await variant('resigned', (e) => resign(e, other)));
    expect(resigned.code).not.toBe(0);
    expect(resigned.stdout).toContain(`signed by an unknown key ${other.keyId}`);
    const forged = await variant('forged-statement', (e) => {
      const envelope = JSON.parse(e.get('signature.dsse.json')!.toString());
      const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString());
      statement.predicate.eventCount += 1;
      envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
      e.set('signature.dsse.json', Buffer.from(JSON.stringify(envelope)));
    });
    const result = verifyWithoutVigil(forged);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('Signature Verification Failure');
  });

  it('the action log chain check catches a dropped last entry even when everything is re-signed with the trusted key', async () => {
    const trustedKey = await new FileKeyStore(path.join(work, 'config', 'vigil', 'keys')).signingKey();
    const truncated = await variant('truncated-log', (e) => {
      const lines = e.get('actions.jsonl')!.toString().trim().split('\n');
      e.set('actions.jsonl', Buffer.from(`${lines.slice(0, -1).join('\n')}\n`));
      resealWith(e, trustedKey);
    });
    const result = verifyWithoutVigil(truncated);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain('not the signed head');
    // Vigil's own verifier agrees.
    const ours = vigil(['evidence', 'verify', truncated], env);
    expect(ours.code).toBe(1);
    expect(ours.stdout).toMatch(/removed from the end of the log/);
  });
});
