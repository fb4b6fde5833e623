// The collector as `vigil lab up` runs it: events from real processes in lab pods come out of `vigil events --lab`
// attributed to their pods (both cgroup drivers), profiles come out of `vigil profile --lab`, and the deploy
// manifests pass a server-side dry run against the lab's API server.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runtimeEventSchema, type RuntimeEvent } from '../../../shared/model/event.js';
import { profileSchema } from '../../../shared/collector-api/messages.js';
import { readLabState } from '../../lab/lab-state.js';
import { repoRoot } from './collector-harness.js';

const run = promisify(execFile);
const vigil = path.join(repoRoot, 'bin/vigil');
const lab = process.getuid?.() === 0 ? readLabState() : null;
const missing = process.getuid?.() !== 0 ? 'needs root' : !lab ? 'no lab is running (vigil lab up)' : !lab.collector ? `the lab has no collector: ${lab.collectorError ?? 'not built'}` : null;

/** The lab collector's events from `since` on: its journal outlives restarts and holds up to 500,000 events, so
 * reading it whole on every poll takes minutes on a loaded machine. */
async function labEvents(since: Date): Promise<RuntimeEvent[]> {
  const { stdout } = await run(vigil, ['events', '--lab', '--since', since.toISOString(), '--json'], { maxBuffer: 512 << 20 });
  return stdout.trim().split('\n').filter(Boolean).map((line) => runtimeEventSchema.parse(JSON.parse(line)));
}

async function waitForEvent(
  match: (e: RuntimeEvent) => boolean,
  what: string,
  since = new Date(Date.now() - 120_000), // what the test just caused, with room for clock and queue delays
): Promise<RuntimeEvent> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const found = (await labEvents(since)).find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no ${what} event from the lab collector within 20 s`);
}

describe.skipIf(missing !== null)(`collector in the lab${missing ? ` (skipped: ${missing})` : ''}`, () => {
  for (const driver of ['systemd', 'cgroupfs'] as const) {
    it(`attributes an exec and a DNS lookup in a ${driver}-driver pod to that pod`, async () => {
      const pod = lab!.pods.find((p) => p.cgroupDriver === driver);
      expect(pod, `the lab has a ${driver} pod`).toBeTruthy();
      const marker = `lab-marker-${driver}-${Date.now()}`;
      await run(vigil, ['lab', 'exec', `${pod!.namespace}/${pod!.name}`, '--', '/bin/echo', marker]);
      const exec = await waitForEvent((e) => e.kind === 'process.exec' && e.process?.args[1] === marker, 'process.exec');
      expect(exec.pod).toMatchObject({ namespace: pod!.namespace, name: pod!.name, uid: pod!.uid });
      // Every lab pod has an `app` label (test/lab/topology.ts); the collector has API access in the lab.
      expect(exec.pod?.labels?.app, 'the event carries the pod labels').toBeTruthy();
      expect(exec.containerId).toBe(pod!.containerId);

      const name = `kubernetes.default.svc.cluster.local`;
      await run(vigil, ['lab', 'exec', `${pod!.namespace}/${pod!.name}`, '--', 'getent', 'hosts', name]).catch(() => undefined);
      const query = await waitForEvent(
        (e) => e.kind === 'dns.query' && e.containerId === pod!.containerId && e.details.queryName.startsWith('kubernetes.default'),
        'dns.query',
      );
      expect(query.pod?.name).toBe(pod!.name);
    });
  }

  it('LLM calls of the Python agent (libssl) and the Node agent (bundled OpenSSL) are read through TLS, keys redacted', async () => {
    // Both agents call the LLM endpoint when given a task; the lab may have just started, so give them one now.
    const started = new Date(Date.now() - 5_000);
    await run(vigil, ['scenario', 'run', 'baseline-traffic', '--json'], { maxBuffer: 64 << 20 });
    for (const [owner, runtime] of [['research-agent', 'python'], ['support-agent', 'node']] as const) {
      const pod = lab!.pods.find((p) => p.name.startsWith(owner));
      expect(pod, `the lab has ${owner}`).toBeTruthy();
      const request = await waitForEvent(
        (e) => e.kind === 'llm.request' && e.containerId === pod!.containerId && (e.process?.exe ?? '').includes(runtime),
        `llm.request from ${owner}`,
        started,
      );
      expect(request.kind === 'llm.request' && request.details.model).toBeTruthy();
      expect(request.pod?.name).toBe(pod!.name);
    }
    const { stdout } = await run(vigil, ['events', '--lab', '--since', started.toISOString(), '--json'], { maxBuffer: 512 << 20 });
    // The lab's provider keys all start sk-lab-<agent>-; none may leave the node (here: none of this run's events).
    expect(stdout).not.toMatch(/sk-lab-(rsch|supp|nbk)-[0-9a-f]{8}/);
  });

  it('an MCP server over stdio in a lab pod is classified from its answer, with the real Python MCP SDK', async () => {
    // The lab's notes server under a name that says nothing of MCP, launched by the SDK's client inside the research
    // agent's pod, as the agent itself does; the collector sees the server answer on the pipe that was its stdout.
    const pod = lab!.pods.find((p) => p.name.startsWith('research-agent-'))!;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-it-mcp-stdio-'));
    try {
      const server = path.join(dir, 'notes.py');
      copyFileSync(path.join(repoRoot, 'test/lab/workloads/python/notes_mcp_stdio.py'), server);
      writeFileSync(path.join(dir, 'a.md'), '# a note\n');
      const python = path.join(process.env.VIGIL_CACHE ?? path.join(os.homedir(), '.cache/vigil'), 'lab-venv/bin/python');
      const client = [
        'import asyncio, sys',
        'from mcp import Client, StdioServerParameters',
        'async def main():',
        '    server = StdioServerParameters(command=sys.executable, args=[sys.argv[1]], env={"NOTES_DIR": sys.argv[2]})',
        '    async with Client(server) as notes:',
        '        print("tools:", ",".join(sorted(t.name for t in (await notes.list_tools()).tools)), flush=True)',
        'asyncio.run(main())',
      ].join('\n');
      const since = new Date(Date.now() - 5_000);
      const { stdout } = await run(vigil, ['lab', 'exec', `${pod.namespace}/${pod.name}`, '--', python, '-c', client, server, dir]);
      expect(stdout).toContain('tools: read_note,search_notes');
      const classified = await waitForEvent(
        (e) => e.kind === 'workload.classified' && e.details.role === 'mcp-server' && (e.process?.args ?? []).includes(server),
        'workload.classified (mcp-server) of the stdio server',
        since,
      );
      expect(classified.pod?.name).toBe(pod.name);
      expect(JSON.stringify(classified.details)).toContain('answered an MCP initialize request on its stdout');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('vigil profile --lab prints a schema-valid profile of a lab pod', async () => {
    const pod = lab!.pods[0]!;
    await run(vigil, ['lab', 'exec', `${pod.namespace}/${pod.name}`, '--', '/bin/true']);
    const { stdout } = await run(vigil, ['profile', `${pod.namespace}/${pod.name}`, '--lab', '--json']);
    const profile = profileSchema.parse(JSON.parse(stdout));
    expect(profile.syscalls).toContain('execve');
    expect(profile.executables.map((e) => e.path)).toContain('/usr/bin/true');
    expect(['learning', 'stable', 'drifted']).toContain(profile.state);
  });

  it('the deploy manifests pass a server-side dry run against the lab API server', async () => {
    const { stdout: manifests } = await run('kubectl', ['kustomize', path.join(repoRoot, 'native-bpf-collector/deploy')]);
    // Namespaced objects can only be dry-run into a namespace that exists; create it for real if it is missing.
    await run('kubectl', ['--kubeconfig', lab!.kubeconfig, 'create', 'namespace', 'vigil-system']).catch(() => undefined);
    const child = execFile('kubectl', ['--kubeconfig', lab!.kubeconfig, 'apply', '--dry-run=server', '-f', '-', '-o', 'name']);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.stdin?.end(manifests);
    const code = await new Promise((r) => child.on('exit', r));
    // kubectl warns (not fails) that the namespace created above lacks its last-applied annotation.
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    for (const object of ['daemonset.apps/vigil-collector', 'serviceaccount/vigil-collector', 'clusterrole.rbac.authorization.k8s.io/vigil-collector', 'service/vigil-collector']) {
      expect(stdout).toContain(object);
    }
  });
});
