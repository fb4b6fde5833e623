// Every scenario against the real lab: its processes run in the right pod's cgroup and network namespace (checked
// through /proc while it runs), every socket in the pods' namespaces points at a lab address, and the sinks and the
// API server's audit log show what the scenario did (e.g. the exfiltration sink received the secrets list).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LabPodState, LabState } from '../../lab/lab-state.js';
import { ensureLab, labSkipReason } from '../lab-fixture.js';
import { findScenario } from '../../lab/scenarios/scenario-registry.js';
import { runScenario } from '../../lab/scenarios/scenario-runner.js';
import { MINER_PATH } from '../../lab/scenarios/cryptominer.js';
import { ESCAPE_COMMANDS } from '../../lab/scenarios/agent-escape-attempt.js';
import type { AgentResult } from '../../lab/scenarios/scenario-context.js';
import { cacheDir, recordFile } from '../../lab/workloads/workload-catalog.js';
import { labWorkloads, startLabWorkloads } from '../../lab/workloads/index.js';
import { WORKLOAD_SECRETS } from '../../lab/workloads/workload-secrets.js';
import type { RunningWorkloads } from '../../lab/workloads/index.js';
import { type ObservedRun, ProcObserver, isLabAddress, podNetnsInode } from './proc-observer.js';

const noVenv = !existsSync(path.join(cacheDir(), 'lab-venv/bin/python'));
const skipReason = labSkipReason() ?? (noVenv ? 'no lab virtualenv: run scripts/install/lab-workloads.sh' : '');

function records(w: Omit<RunningWorkloads, 'processes'>, id: string): Record<string, unknown>[] {
  const file = recordFile(w.files, id);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];
}

describe.skipIf(skipReason !== '')(`scenarios in the lab${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let lab: LabState;
  let w: Omit<RunningWorkloads, 'processes'>;
  const pod = (owner: string): LabPodState => {
    const found = lab.pods.find((p) => `${p.namespace}/${p.name}`.startsWith(`${owner}-`) || `${p.namespace}/${p.name}` === owner);
    if (!found) throw new Error(`no lab pod ${owner}`);
    return found;
  };
  const key = (p: LabPodState) => `${p.namespace}/${p.name}`;

  beforeAll(async () => {
    lab = await ensureLab();
    await startLabWorkloads(lab); // idempotent: starts only what is not running
    w = labWorkloads(lab);
  });

  async function observe(name: string): Promise<{ outcome: Record<string, unknown>; seen: ObservedRun }> {
    const observer = new ProcObserver(lab);
    observer.start();
    const result = await runScenario(findScenario(name)!, w.env, w.files);
    const seen = observer.stop();
    expect(result.error).toBeUndefined();
    return { outcome: result.outcome!, seen };
  }

  /** Processes of the pod whose command line matches: each must be in that pod's cgroup and network namespace. */
  function processesIn(seen: ObservedRun, owner: string, pattern: RegExp) {
    const p = pod(owner);
    const matches = seen.processes.filter((s) => s.pod === key(p) && pattern.test(s.cmdline));
    for (const m of matches) expect(m.netnsInode, `${m.cmdline} is not in ${key(p)}'s network namespace`).toBe(podNetnsInode(p));
    return matches;
  }

  /** Everything that ran in a pod's cgroup was in that pod's netns, and every socket peer is a lab address. */
  function expectContained(seen: ObservedRun, allowedToLeaveNetns: RegExp | null = null) {
    for (const s of seen.processes.filter((x) => x.pod)) {
      if (allowedToLeaveNetns?.test(s.cmdline)) continue;
      const p = lab.pods.find((x) => key(x) === s.pod)!;
      expect(s.netnsInode, `${s.cmdline} (pid ${s.pid}) ran in ${s.pod}'s cgroup but another network namespace`).toBe(podNetnsInode(p));
    }
    for (const [podName, peers] of seen.peers) {
      for (const ip of peers) expect(isLabAddress(ip), `${podName} had a socket to ${ip}`).toBe(true);
    }
  }

  it('baseline-traffic: agents, MCP servers and payments run in their pods and talk only to lab addresses', async () => {
    const { seen } = await observe('baseline-traffic');
    expectContained(seen);
    expect(processesIn(seen, 'agents/research-agent', /research_agent\.py/)).not.toHaveLength(0);
    expect(processesIn(seen, 'agents/research-agent', /notes_mcp_stdio\.py/)).not.toHaveLength(0);
    expect(processesIn(seen, 'agents/support-agent', /support-agent\.ts/)).not.toHaveLength(0);
    expect(processesIn(seen, 'agents/support-agent', /shell-mcp-server\.ts/)).not.toHaveLength(0);
    expect(processesIn(seen, 'mcp/mcp-files', /mcp_files_server\.py/)).not.toHaveLength(0);
    expect(processesIn(seen, 'payments/payments-db', /redis-server/)).not.toHaveLength(0);
    const weather = records(w, 'weather-api').at(-1);
    expect(weather?.client).toBe(pod('agents/support-agent').ip);
  });

  it('indirect-prompt-injection-exfil: the research agent\'s shell lists secrets with its token and the sink gets them', async () => {
    const auditBefore = readFileSync(lab.auditLog, 'utf8').length;
    const sinkBefore = records(w, 'exfil-sink').length;
    const { outcome, seen } = await observe('indirect-prompt-injection-exfil');
    expectContained(seen);
    expect((outcome.research as AgentResult).steps.map((s) => s.tool)).toEqual(['fetch_url', 'run_shell']);
    expect(processesIn(seen, 'agents/research-agent', /serviceaccount\/token/)).not.toHaveLength(0);
    const uploads = records(w, 'exfil-sink').slice(sinkBefore);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.client).toBe(pod('agents/research-agent').ip);
    const stolen = JSON.parse(String(uploads[0]!.body)) as { kind: string; items: { metadata: { namespace: string; name: string } }[] };
    expect(stolen.kind).toBe('SecretList');
    // Cluster-wide: the list holds secrets of other namespaces too (the ServiceAccount is over-privileged).
    expect(stolen.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(
      expect.arrayContaining(WORKLOAD_SECRETS.map((x) => `${x.namespace}/${x.name}`)));
    const audit = readFileSync(lab.auditLog, 'utf8').slice(auditBefore);
    expect(audit).toMatch(/"verb":"list".*"resource":"secrets".*|"resource":"secrets".*"verb":"list"/);
    expect(audit).toContain('system:serviceaccount:agents:research-agent');
  });

  it('mcp-tool-misuse: mcp-files reads /etc/shadow and the SSH key through "../" and refuses an absolute path', async () => {
    const { outcome, seen } = await observe('mcp-tool-misuse');
    expectContained(seen);
    const results = outcome as Record<string, AgentResult>;
    expect(results.shadow!.answer).toMatch(/root:[^:]*:/);
    expect(results.sshKey!.answer).toContain('BEGIN OPENSSH PRIVATE KEY');
    expect(results.absolute!.steps).toEqual([expect.objectContaining({ tool: 'files__read_file', ok: false })]);
    expect(processesIn(seen, 'mcp/mcp-files', /mcp_files_server\.py/)).not.toHaveLength(0);
  });

  it('agent-escape-attempt: unshare, mount, ptrace and nsenter are attempted from the research agent pod', async () => {
    const { outcome, seen } = await observe('agent-escape-attempt');
    // nsenter's target command runs in PID 1's namespaces by design: the one process allowed to leave the netns.
    expectContained(seen, /^cat \/etc\/hostname$/);
    for (const [name, command] of Object.entries(ESCAPE_COMMANDS)) {
      const shells = processesIn(seen, 'agents/research-agent', new RegExp(command.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      expect(shells, `no ${name} attempt seen in the research agent pod`).not.toHaveLength(0);
      expect(JSON.stringify(outcome[name])).toContain(name === 'ptrace' ? 'ptrace-result' : `${name}-exit=`);
    }
  });

  it('shadow-ai: the model server and the notebook\'s LLM client run in the data-science pods', async () => {
    const llmBefore = records(w, 'llm-endpoint').length;
    const { seen } = await observe('shadow-ai');
    expectContained(seen);
    expect(processesIn(seen, 'data-science/model-server', /model_server\.py/)).not.toHaveLength(0);
    expect(processesIn(seen, 'data-science/notebook', /notebook_llm_client\.py/)).not.toHaveLength(0);
    const calls = records(w, 'llm-endpoint').slice(llmBefore);
    expect(calls.map((c) => c.api).sort()).toEqual(['anthropic', 'openai']);
    for (const c of calls) expect(c.client).toBe(pod('data-science/notebook').ip);
  });

  it('benign-release-drift: release 2 runs with a Redis sidecar on the pod loopback and serves /metrics', async () => {
    const { outcome, seen } = await observe('benign-release-drift');
    expectContained(seen);
    expect(processesIn(seen, 'agents/research-agent', /redis-server 127\.0\.0\.1:6379/)).not.toHaveLength(0);
    expect(String(outcome.metrics)).toContain('research_agent_cache_hits_total 1');
  });

  it('cryptominer: the miner runs from /tmp in the payments-api pod and logs in to the pool', async () => {
    const poolBefore = records(w, 'mining-pool').length;
    const { seen } = await observe('cryptominer');
    expectContained(seen);
    expect(processesIn(seen, 'payments/payments-api', new RegExp(MINER_PATH.replaceAll('.', '\\.')))).not.toHaveLength(0);
    const logins = records(w, 'mining-pool').slice(poolBefore).filter((r) => r.method === 'mining.authorize');
    expect(logins).toHaveLength(1);
    expect(logins[0]!.client).toBe(pod('payments/payments-api').ip);
  });
});
