// benign-release-drift (benign): the research agent's release 2 rolls out. It legitimately adds a Prometheus
// exporter on its own port (9090) and a Redis cache sidecar for fetched documents - new behaviour that is a change,
// not an attack. The scrapes of the new port are what a network policy sees on every run (the cache is on the pod's
// loopback, and the sidecar's new syscalls are reported only the first time the pod's cgroup makes them). Release 1
// runs when the scenario starts (an interrupted run that left release 2 is undone first) and is restored at the end,
// so every scenario starts from the same lab.
import { researchAgent, researchCache } from '../workloads/workload-catalog.js';
import { startProcess, stopProcess } from '../workloads/process-supervisor.js';
import { serviceUrl } from '../workloads/workload-environment.js';
import { type Scenario, NO_TECHNIQUES } from './scenario-types.js';
import { callService, giveTask } from './scenario-context.js';

export const benignReleaseDrift: Scenario = {
  description: {
    name: 'benign-release-drift',
    tags: ['benign', 'ai', 'llm'],
    description: 'Release 2 of the research agent starts a Redis cache sidecar on the pod\'s loopback (127.0.0.1:6379) and serves '
      + '/metrics on a new port (9090); it does its usual research twice (the second fetch is a cache hit) and Prometheus-style '
      + 'scrapes read /metrics.',
    expected: {
      steps: [
        { action: 'a redis-server process starts in the research agent pod and listens on 127.0.0.1:6379', actor: 'agents/research-agent', target: 'redis-server', evidence: ['process.exec', 'net.accept'] },
        { action: 'the new agent release starts (same image lineage, new env AGENT_RELEASE=2)', actor: 'agents/research-agent', target: 'research_agent.py', evidence: ['process.exec', 'workload.classified'] },
        { action: 'the agent does its usual research: LLM, partner report, notes', actor: 'agents/research-agent', target: 'docs.partner.example', evidence: ['llm.request', 'net.connect'] },
        { action: 'the agent caches the report in Redis on loopback', actor: 'agents/research-agent', target: '127.0.0.1:6379', evidence: ['net.connect'] },
        { action: 'a scraper reads the new /metrics endpoint on port 9090', actor: 'agents/research-agent', target: ':9090/metrics', evidence: ['net.accept'] },
      ],
      entities: {
        pods: ['agents/research-agent'],
        tools: ['fetch_url', 'notes__search_notes'],
        hosts: ['api.llm-provider.example', 'docs.partner.example'],
        files: [],
        identities: ['system:serviceaccount:agents:research-agent'],
      },
      techniques: NO_TECHNIQUES,
    },
  },
  async run(ctx) {
    const docs = serviceUrl(ctx.env, 'docs', 'https', '/reports/grid-storage.html');
    // A run interrupted after the switch leaves release 2 and its cache behind: start from release 1 regardless.
    await stopProcess(ctx.env.dir, 'research-cache');
    await stopProcess(ctx.env.dir, 'research-agent');
    try {
      await startProcess(ctx.env, researchCache(ctx.env, ctx.files));
      await startProcess(ctx.env, researchAgent(ctx.env, ctx.files, 2));
      const tasks = [
        await giveTask(ctx, 'research-agent', `Research grid storage using document ${docs}, then check my notes for sodium`, false),
        await giveTask(ctx, 'research-agent', `Research grid storage using document ${docs}`, true),
      ];
      const metrics = await callService(ctx.env, 'research-metrics', 'GET', '/metrics');
      return { tasks, metrics: metrics.body };
    } finally {
      await stopProcess(ctx.env.dir, 'research-agent');
      await stopProcess(ctx.env.dir, 'research-cache');
      await startProcess(ctx.env, researchAgent(ctx.env, ctx.files, 1));
    }
  },
};
