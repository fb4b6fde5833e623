// The analysis commands end to end over a fixture case: stories JSON shape, graph, AI-BOM, policy generate/replay.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO, Command } from '../cli/command.js';
import { storiesCommand } from '../cli/commands/stories.js';
import { graphCommand } from '../cli/commands/graph.js';
import { aibomCommand } from '../cli/commands/aibom.js';
import { policyCommand } from '../cli/commands/policy.js';

const fixtures = path.resolve(import.meta.dirname, '../../test/fixtures/events');
const caseDir = mkdtempSync(path.join(tmpdir(), 'vigil-cli-case-'));
writeFileSync(path.join(caseDir, 'events.ndjson'), readFileSync(path.join(fixtures, 'baseline-traffic.ndjson'), 'utf8') + readFileSync(path.join(fixtures, 'indirect-prompt-injection-exfil.ndjson'), 'utf8'));
writeFileSync(path.join(caseDir, 'inventory.json'), readFileSync(path.join(fixtures, 'inventory.json')));
const POD = 'agents/research-agent-7c9f6d5b8-x2k4p';

async function run(command: Command, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), signal: new AbortController().signal };
  const code = await command.run(argv, io);
  return { code, out, err };
}

describe('vigil stories / graph / aibom / policy', () => {
  it('stories --json prints the issue\'s exact shape', async () => {
    const { code, out } = await run(storiesCommand, ['--case', caseDir, '--json']);
    expect(code).toBe(0);
    const stories = JSON.parse(out) as Record<string, unknown>[];
    expect(stories).toHaveLength(1);
    expect(Object.keys(stories[0]!)).toEqual(['id', 'title', 'severity', 'score', 'techniques', 'steps', 'entities', 'narrative']);
    expect(Object.keys((stories[0]!['steps'] as object[])[0]!)).toEqual(['time', 'summary', 'eventIds']);
    expect(Object.keys((stories[0]!['entities'] as object[])[0]!)).toEqual(['kind', 'id', 'label']);
    const later = await run(storiesCommand, ['--case', caseDir, '--json', '--since', '2026-11-20T12:00:00Z']);
    expect(JSON.parse(later.out)).toEqual([]);
  });

  it('stories rejects a bad --since', async () => {
    await expect(run(storiesCommand, ['--case', caseDir, '--since', 'yesterday'])).rejects.toThrow(/RFC 3339/);
  });

  it('graph --json has nodes and edges with provenance', async () => {
    const graph = JSON.parse((await run(graphCommand, ['--case', caseDir, '--json'])).out) as { nodes: { id: string }[]; edges: { eventIds: string[]; from: string; to: string }[] };
    expect(graph.nodes.map((n) => n.id)).toContain('api:collect.exfil.example:443');
    expect(graph.edges.find((e) => e.to === 'api:collect.exfil.example:443')!.eventIds.length).toBeGreaterThan(0);
  });

  it('aibom prints CycloneDX 1.6', async () => {
    const bom = JSON.parse((await run(aibomCommand, ['--case', caseDir])).out) as { bomFormat: string; specVersion: string };
    expect([bom.bomFormat, bom.specVersion]).toEqual(['CycloneDX', '1.6']);
  });

  it('policy generate writes YAML that replay reads back, blocking the attack\'s connections', async () => {
    const generated = await run(policyCommand, ['generate', POD, '--kind', 'networkpolicy', '--case', caseDir]);
    expect(generated.out).toContain('kind: NetworkPolicy');
    const file = path.join(caseDir, 'np.yaml');
    writeFileSync(file, generated.out);
    const replayed = JSON.parse((await run(policyCommand, ['replay', file, '--case', caseDir, '--json'])).out) as { blocked: { what: string }[] };
    expect(replayed.blocked.map((b) => b.what)).toEqual(['egress tcp kubernetes.default.svc.cluster.local (10.96.0.1):443', 'egress tcp collect.exfil.example (203.0.113.66):443']);
  });

  it('policy generate --kind seccomp prints a JSON profile; bad usage is a usage error', async () => {
    const seccomp = JSON.parse((await run(policyCommand, ['generate', POD, '--kind', 'seccomp', '--case', caseDir])).out) as { syscalls: { names: string[] }[] };
    expect(seccomp.syscalls[0]!.names).toContain('connect');
    await expect(run(policyCommand, ['generate', POD, '--kind', 'firewall', '--case', caseDir])).rejects.toThrow(/--kind must be one of/);
    await expect(run(policyCommand, ['generate', 'agents/nope-0', '--kind', 'rbac', '--case', caseDir])).rejects.toThrow(/no events were recorded/);
  });
});
