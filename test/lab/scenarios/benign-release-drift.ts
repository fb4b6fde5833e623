// benign-release-drift (benign): the research agent's release 2 rolls out. It legitimately adds a Prometheus
// /metrics endpoint and a Redis cache sidecar for fetched documents - new behaviour that is a change, not an
// attack. At the end release 1 is restored, so every scenario starts from the same lab.
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
      + '/metrics; it does its usual research twice (the second fetch is a cache hit) and Prometheus-style scrapes read /metrics.',
    expected: {
      steps: [
        { action: 'a redis-server process starts in the research agent pod and listens on 127.0.0.1:6379', actor: 'agents/research-agent', target: 'redis-server', evidence: ['process.exec', 'net.accept'] },
        { action: 'the new agent release starts (same image lineage, new env AGENT_RELEASE=2)', actor: 'agents/research-agent', target: 'research_agent.py', evidence: ['process.exec', 'workload.classified'] },
        { action: 'the agent does its usual research: LLM, partner report, notes', actor: 'agents/research-agent', target: 'docs.partner.example', evidence: ['llm.request', 'net.connect'] },
        { action: 'the agent caches the report in Redis on loopback', actor: 'agents/research-agent', target: '127.0.0.1:6379', evidence: ['net.connect'] },
        { action: 'a scraper reads the new /metrics endpoint', actor: 'agents/research-agent', target: '/metrics', evidence: ['net.accept'] },
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
    await stopProcess(ctx.env.dir, 'research-agent');
    try {
      await startProcess(ctx.env, researchCache(ctx.env, ctx.files));
      await startProcess(ctx.env, researchAgent(ctx.env, ctx.files, 2));
      const tasks = [
        await giveTask(ctx, 'research-agent', `Research grid storage using document ${docs}, then check my notes for sodium`, false),
        await giveTask(ctx, 'research-agent', `Research grid storage using document ${docs}`, true),
      ];
      const metrics = await callService(ctx.env, 'research-agent', 'GET', '/metrics');
      return { tasks, metrics: metrics.body };
    } finally {
      await stopProcess(ctx.env.dir, 'research-agent');
      await stopProcess(ctx.env.dir, 'research-cache');
      await startProcess(ctx.env, researchAgent(ctx.env, ctx.files, 1));
    }
  },
};
