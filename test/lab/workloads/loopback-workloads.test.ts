// The real workload programs, started as plain processes on 127.0.0.1 (no lab, no root), driven by the real
// scenarios: proves the agents, SDKs, MCP servers, LLM endpoint and sinks work together before any pod exists.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, findScenario } from '../scenarios/scenario-registry.js';
import { readRuns, runScenario } from '../scenarios/scenario-runner.js';
import type { AgentResult } from '../scenarios/scenario-context.js';
import { cacheDir, recordFile } from './workload-catalog.js';
import { type RunningWorkloads, startLoopbackWorkloads, stopLoopbackWorkloads } from './index.js';

const venvMissing = !existsSync(path.join(cacheDir(), 'lab-venv/bin/python'));
const redisMissing = !existsSync('/usr/bin/redis-server');
const skip = venvMissing || redisMissing;
const reason = venvMissing ? 'no lab virtualenv: run scripts/install/lab-workloads.sh' : 'no /usr/bin/redis-server: run scripts/install/lab-workloads.sh';

function records(w: RunningWorkloads, id: string): Record<string, unknown>[] {
  const file = recordFile(w.files, id);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];
}

async function run(w: RunningWorkloads, name: string): Promise<Record<string, unknown>> {
  const result = await runScenario(findScenario(name)!, w.env, w.files);
  expect(result.error).toBeUndefined();
  return result.outcome!;
}

const tools = (r: unknown) => (r as AgentResult).steps.map((s) => `${s.tool}:${s.ok}`);

describe.skipIf(skip)(`workloads on loopback${skip ? ` (skipped: ${reason})` : ''}`, () => {
  let dir: string;
  let w: RunningWorkloads;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-workloads-'));
    w = await startLoopbackWorkloads(dir);
  }, 180_000);

  afterAll(async () => {
    if (dir) {
      await stopLoopbackWorkloads(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('baseline-traffic: both agents use their local, stdio-MCP and HTTP-MCP tools; payments go through Redis', async () => {
    const outcome = await run(w, 'baseline-traffic') as { rounds: { research: AgentResult[]; support: AgentResult[]; payment: { created: number; read: number } }[] };
    const [first] = outcome.rounds;
    expect(first!.research.map(tools)).toEqual([['fetch_url:true', 'notes__search_notes:true'], ['fetch_url:true'], ['read_file:true']]);
    expect(first!.research[2]!.answer).toContain('Polysilicon prices stabilised');
    expect(first!.support.map(tools)).toEqual([['get_weather:true'], ['files__read_file:true'], ['shell__run_command:true']]);
    expect(first!.support[1]!.answer).toContain('Refunds above 500 EUR');
    expect(first!.payment).toEqual({ created: 201, read: 200 });
    const llm = records(w, 'llm-endpoint');
    expect(llm.some((r) => r.stream === true && r.api === 'openai')).toBe(true);
    expect(llm.some((r) => r.stream === false && r.api === 'openai')).toBe(true);
  });

  it('indirect-prompt-injection-exfil: the model obeys the hidden instruction and the shell posts to the sink', async () => {
    const before = records(w, 'exfil-sink').length;
    const outcome = await run(w, 'indirect-prompt-injection-exfil');
    expect(tools(outcome.research)).toEqual(['fetch_url:true', 'run_shell:true']);
    expect(records(w, 'llm-endpoint').some((r) => r.rule === 'follow-injected-instruction')).toBe(true);
    // No cluster on loopback: the secrets request fails, but the upload itself reaches the sink.
    expect(records(w, 'exfil-sink').slice(before)).toEqual([expect.objectContaining({ method: 'POST', path: '/upload' })]);
  });

  it('mcp-tool-misuse: "../" escapes the mcp-files root, an absolute path is refused', async () => {
    const outcome = await run(w, 'mcp-tool-misuse') as Record<string, AgentResult>;
    expect(outcome.shadow!.answer).toMatch(/root:[^:]*:/);
    expect(outcome.listing!.answer).toContain('id_ed25519');
    expect(outcome.sshKey!.answer).toContain('BEGIN OPENSSH PRIVATE KEY');
    expect(tools(outcome.absolute)).toEqual(['files__read_file:false']);
  });

  it('shadow-ai: the model server serves from its safetensors file; the notebook reaches it and the LLM in both formats', async () => {
    const outcome = await run(w, 'shadow-ai') as { notebook: { output: string } };
    expect(outcome.notebook.output).toMatch(/^model-server: \w+/m);
    expect(outcome.notebook.output).toMatch(/^openai: .+/m);
    expect(outcome.notebook.output).toMatch(/^anthropic: .+/m);
    expect(records(w, 'llm-endpoint').some((r) => r.api === 'anthropic' && r.stream === true)).toBe(true);
  });

  it('benign-release-drift: release 2 caches in Redis and serves /metrics, then release 1 is back', async () => {
    const outcome = await run(w, 'benign-release-drift') as { metrics: string };
    expect(outcome.metrics).toContain('research_agent_cache_hits_total 1');
    const health = await fetch(`http://127.0.0.1:${w.env.address('research-agent').bindPort}/healthz`).then((r) => r.json());
    expect(health).toEqual({ ok: true, release: 1 });
  });

  it('cryptominer: the injected shell downloads and runs the miner, which logs in to the pool', async () => {
    const outcome = await run(w, 'cryptominer') as { diagnostics: { output: string } };
    expect(outcome.diagnostics.output).toMatch(/hashes=\d+ shares=\d+/);
    expect(records(w, 'downloads-host')).toEqual([expect.objectContaining({ path: '/tools/xmrig', status: 200 })]);
    expect(records(w, 'mining-pool').some((r) => r.method === 'mining.authorize')).toBe(true);
  });

  it('the LLM endpoint rejects a request without an sk-lab- key, like a provider would', async () => {
    const { request } = await import('node:https');
    const port = w.env.address('llm').bindPort;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/v1/models', ca: readFileSync(w.files.caFile), headers: { authorization: 'Bearer sk-other-0000' } },
        (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(401);
    expect(records(w, 'llm-endpoint').at(-1)).toMatchObject({ api: 'auth', rejected: 'bad key' });
  });

  it('records every run with name, runId and times', () => {
    const runs = readRuns(w.env);
    expect(runs.length).toBeGreaterThanOrEqual(6);
    for (const r of runs) {
      expect(SCENARIOS.map((s) => s.description.name)).toContain(r.name);
      expect(Date.parse(r.endedAt)).toBeGreaterThanOrEqual(Date.parse(r.startedAt));
    }
  });
});
