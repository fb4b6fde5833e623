// The `vigil evidence` command as a user runs it: export a case as a bundle, OCSF, HTML and PDF; verify and extract
// bundles; exit codes 0 (holds), 1 (does not hold / refused) and 2 (bad usage).
import { readFile, mkdtemp, rm, mkdir, writeFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flipOneByte, readAllEntries, resign, writeEntries } from '../../fixtures/bundles/bundle-surgery.js';
import { missingRequired } from '../../fixtures/bundles/ocsf-required.js';
import { buildRawZip } from '../../fixtures/bundles/raw-zip.js';
import { PLANTED_SECRET_FRAGMENTS, writeSyntheticCase } from '../../fixtures/bundles/synthetic-case.js';
import { FileKeyStore } from '../../../main/evidence/keys.js';
import { OFFLINE_CHROMIUM_FLAGS } from '../../../main/evidence/report-export.js';
import { CHROMIUM, chromiumMissing, REPO, vigil } from './run-tools.js';

let work: string;
let env: Record<string, string>;
let caseDir: string;
let bundle: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'vigil-cli-evidence-'));
  env = { XDG_CONFIG_HOME: path.join(work, 'config') };
  caseDir = path.join(work, 'case');
  await writeSyntheticCase(caseDir, 5000, { withSecrets: true });
  bundle = path.join(work, 'case.vigil');
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function expectNoSecrets(text: string, what: string) {
  for (const fragment of PLANTED_SECRET_FRAGMENTS) expect(text.includes(fragment), `${fragment} in ${what}`).toBe(false);
}

describe('vigil evidence export / verify / extract', () => {
  it('exports a case as a signed bundle with progress on stderr and a JSON summary', () => {
    const result = vigil(['evidence', 'export', '--case', caseDir, '--out', bundle, '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ format: 'bundle', events: 5000, files: 9 });
    expect(summary.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(result.stderr).toContain('events written');
  });

  it('verifies: exit 0, and --json carries the report', () => {
    const text = vigil(['evidence', 'verify', bundle], env);
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^OK /);
    const json = vigil(['evidence', 'verify', bundle, '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, signature: { status: 'valid' }, actionLog: { status: 'intact' } });
  });

  it('exit 1 naming the changed file; exit 1 for a re-signed bundle until its key is trusted', async () => {
    const entries = await readAllEntries(bundle);
    entries.set('events/events.ndjson', flipOneByte(entries.get('events/events.ndjson')!));
    const changed = path.join(work, 'changed.vigil');
    await writeEntries(changed, entries);
    const result = vigil(['evidence', 'verify', changed], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('events/events.ndjson was changed');

    const otherStore = new FileKeyStore(path.join(work, 'other'));
    const other = await otherStore.signingKey();
    const original = await readAllEntries(bundle);
    resign(original, other);
    const resigned = path.join(work, 'resigned.vigil');
    await writeEntries(resigned, original);
    const unknown = vigil(['evidence', 'verify', resigned], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain(`signed by an unknown key ${other.keyId}`);
    expect(vigil(['evidence', 'verify', resigned, '--trust', otherStore.publicKeyPath], env).code).toBe(0);
    expect(vigil(['evidence', 'verify', resigned, '--trust', `sha256:${other.keyId}`], env).code).toBe(0);
  });

  it('refuses a hostile archive with a clear message and writes nothing', async () => {
    const hostile = path.join(work, 'hostile.vigil');
    await writeFile(hostile, buildRawZip([{ name: '../../../tmp/vigil-cli-escape.txt', data: Buffer.from('x') }]));
    const verify = vigil(['evidence', 'verify', hostile], env);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('climbs out of its folder');
    const into = path.join(work, 'extract-hostile');
    const extract = vigil(['evidence', 'extract', hostile, '--into', into], env);
    expect(extract.code).toBe(1);
    expect(extract.stderr).toMatch(/climbs out of its folder.*nothing was written/);
    expect(await stat(into).then(() => true, () => false)).toBe(false);
    expect(await stat('/tmp/vigil-cli-escape.txt').then(() => true, () => false)).toBe(false);
  });

  it('extracts a verified bundle into a new folder', async () => {
    const into = path.join(work, 'extracted');
    const result = vigil(['evidence', 'extract', bundle, '--into', into, '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ verified: true });
    expect((await readFile(path.join(into, 'events/events.ndjson'), 'utf8')).split('\n').length).toBe(5001);
  });

  it('bad usage exits 2', () => {
    expect(vigil(['evidence', 'export', '--out', path.join(work, 'x.vigil')], env).code).toBe(2);
    expect(vigil(['evidence', 'export', '--case', caseDir, '--out', path.join(work, 'x'), '--format', 'xml'], env).code).toBe(2);
    expect(vigil(['evidence', 'verify'], env).code).toBe(2);
    expect(vigil(['evidence', 'frobnicate'], env).code).toBe(2);
  });

  it('a case with a malformed event is refused, naming the line, and no bundle is left', async () => {
    const bad = path.join(work, 'bad-case');
    await mkdir(bad);
    await writeFile(path.join(bad, 'events.ndjson'), `${(await readFile(path.join(caseDir, 'events.ndjson'), 'utf8')).split('\n').slice(0, 3).join('\n')}\n{"kind":"process.exec"}\n`);
    const out = path.join(work, 'bad.vigil');
    const result = vigil(['evidence', 'export', '--case', bad, '--out', out], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/events\.ndjson line 4 is not a Vigil event/);
    expect(await stat(out).then(() => true, () => false)).toBe(false);
  });
});

describe('OCSF export', () => {
  it('writes records of all four classes, each with its required fields, and no secret', async () => {
    const out = path.join(work, 'case.ocsf.jsonl');
    const result = vigil(['evidence', 'export', '--case', caseDir, '--out', out, '--format', 'ocsf', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const text = await readFile(out, 'utf8');
    expectNoSecrets(text, 'OCSF output');
    const records = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const classes = new Map<number, number>();
    for (const record of records) {
      expect(missingRequired(record), `${String(record.class_name)} ${JSON.stringify(record).slice(0, 200)}`).toEqual([]);
      classes.set(record.class_uid as number, (classes.get(record.class_uid as number) ?? 0) + 1);
    }
    expect([...classes.keys()].sort()).toEqual([1001, 1007, 2004, 4001]);
    const summary = JSON.parse(result.stdout);
    expect(summary.records).toBe(records.length);
    expect(Object.keys(summary.unmapped)).toContain('llm.request');
  });
});

describe('HTML and PDF report', () => {
  it('is self-contained: no script, no external URL, no secret', async () => {
    const out = path.join(work, 'report.html');
    const result = vigil(['evidence', 'export', '--case', caseDir, '--out', out, '--format', 'html'], env);
    expect(result.code, result.stderr).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\b(?:https?|ftp):\/\//);
    expectNoSecrets(html, 'report.html');
    expect(html).toContain('What the responder did');
    expect(html).toMatch(/contained \d+ s after the first evidence/);
    expect(html).toMatch(/<td>SOC 2<\/td><td class="mono">CC7\.4<\/td>/);
  });

  it.skipIf(chromiumMissing)(`renders offline in Chromium with networking disabled; screenshot saved${chromiumMissing ? ' (skipped: /usr/bin/chromium missing; run scripts/install/evidence.sh)' : ''}`, async () => {
    const report = path.join(work, 'report.html');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: OFFLINE_CHROMIUM_FLAGS });
    try {
      const context = await browser.newContext({ offline: true, viewport: { width: 1200, height: 1600 }, javaScriptEnabled: false });
      const requests: string[] = [];
      context.on('request', (request) => {
        if (!request.url().startsWith('file://')) requests.push(request.url());
      });
      const page = await context.newPage();
      await page.goto(`file://${report}`);
      expect(await page.title()).toContain('Vigil evidence report');
      await expect(page.locator('h2', { hasText: 'Attack stories' }).isVisible()).resolves.toBe(true);
      expect(await page.locator('section.story').count()).toBeGreaterThan(0);
      expect(await page.locator('text=quarantine.hard').count()).toBeGreaterThan(0);
      expect(requests).toEqual([]);
      const shot = path.join(REPO, 'test-results/evidence/report.png');
      await mkdir(path.dirname(shot), { recursive: true });
      await page.screenshot({ path: shot, fullPage: false });
      expect((await stat(shot)).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(chromiumMissing)(`prints to PDF with Chromium${chromiumMissing ? ' (skipped: /usr/bin/chromium missing)' : ''}`, async () => {
    const out = path.join(work, 'report.pdf');
    const result = vigil(['evidence', 'export', '--case', caseDir, '--out', out, '--format', 'pdf'], env);
    expect(result.code, result.stderr).toBe(0);
    const pdf = await readFile(out);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
  });
});
