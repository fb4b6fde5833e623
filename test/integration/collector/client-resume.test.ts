// The TypeScript client against the real collector: a follow stream that outlives a collector restart delivers
// every event once, and the CLI prints validated NDJSON.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeEventSchema, type RuntimeEvent } from '../../../shared/model/event.js';
import { missingPrerequisite, repoRoot, startCollector, type RunningCollector } from './collector-harness.js';

const run = promisify(execFile);
const missing = missingPrerequisite();

describe.skipIf(missing !== null)(`collector client against the real collector${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let collector: RunningCollector;
  beforeAll(async () => {
    collector = await startCollector();
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it('a following client resumes across a collector restart without losing or repeating events', async () => {
    const marker = `resume-${Date.now()}`;
    const client = collector.client();
    const controller = new AbortController();
    const seenIds = new Set<string>();
    const markers = new Set<string>();
    let duplicates = 0;
    let reconnects = 0;
    let lastCursor = 0n;
    let cursorsInOrder = true;
    const reading = (async () => {
      for await (const item of client.events({ follow: true, signal: controller.signal, after: '0' })) {
        if (item.type === 'reconnecting') reconnects += 1;
        if (item.type !== 'event') continue;
        if (BigInt(item.cursor) <= lastCursor) cursorsInOrder = false;
        lastCursor = BigInt(item.cursor);
        if (seenIds.has(item.event.id)) duplicates += 1;
        seenIds.add(item.event.id);
        const arg = item.event.kind === 'process.exec' ? item.event.process?.args[1] : undefined;
        if (arg?.startsWith(marker)) markers.add(arg);
        if (markers.size === 6) controller.abort();
      }
    })();
    const exec = (n: number) => run('/bin/echo', [`${marker}-${n}`]);
    for (let i = 0; i < 3; i++) await exec(i);
    await new Promise((r) => setTimeout(r, 700));
    await collector.stop();
    await collector.start();
    for (let i = 3; i < 6; i++) await exec(i);
    const timeout = setTimeout(() => controller.abort(), 30_000);
    await reading;
    clearTimeout(timeout);
    client.close();
    expect([...markers].sort()).toEqual([0, 1, 2, 3, 4, 5].map((n) => `${marker}-${n}`));
    expect(duplicates).toBe(0);
    expect(cursorsInOrder).toBe(true);
    expect(reconnects).toBeGreaterThan(0);
  });

  it('vigil events --json prints schema-valid NDJSON with pod, containerId, process and details', async () => {
    const { stdout } = await run(path.join(repoRoot, 'bin/vigil'), ['events', '--collector', collector.url, '--token-file', collector.tokenFile, '--ca-file', collector.caFile, '--json'], { maxBuffer: 256 << 20 });
    const events: RuntimeEvent[] = stdout.trim().split('\n').map((line) => runtimeEventSchema.parse(JSON.parse(line)));
    expect(events.length).toBeGreaterThan(0);
    const exec = events.find((e) => e.kind === 'process.exec');
    expect(exec?.process?.exe).toBeTruthy();
    expect(exec).toHaveProperty('pod');
    expect(exec).toHaveProperty('containerId');
  });

  it('vigil events --since starts at the first event at or after that time', async () => {
    const cli = (since: string) =>
      run(path.join(repoRoot, 'bin/vigil'), ['events', '--collector', collector.url, '--token-file', collector.tokenFile, '--ca-file', collector.caFile, '--json', '--since', since], { maxBuffer: 256 << 20 });
    const future = await cli(new Date(Date.now() + 3600_000).toISOString());
    expect(future.stdout).toBe('');
    const cut = new Date(Date.now() - 2000);
    const recent = (await cli(cut.toISOString())).stdout.trim().split('\n').map((l) => runtimeEventSchema.parse(JSON.parse(l)));
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((e) => e.time >= cut.toISOString().replace('Z', ''))).toBe(true);
  });

  it('vigil events exits 1 with the collector\'s reason on a wrong token', async () => {
    const child = spawn(path.join(repoRoot, 'bin/vigil'), ['events', '--collector', collector.url, '--token-file', '/etc/hostname', '--ca-file', collector.caFile]);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(1);
    expect(stderr).toContain('401');
  });
});
