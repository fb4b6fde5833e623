// baseline-traffic (benign): the agents and services doing their normal work, twice over - the learning period
// baselines are built from.
import path from 'node:path';
import { serviceUrl } from '../workloads/workload-environment.js';
import { type Scenario, NO_TECHNIQUES } from './scenario-types.js';
import { callService, giveTask } from './scenario-context.js';

export const baselineTraffic: Scenario = {
  description: {
    name: 'baseline-traffic',
    tags: ['benign', 'ai', 'llm', 'mcp'],
    description: 'Normal work: the research agent reads partner reports and its notes, the support agent checks the weather, '
      + 'the shared handbook and host health, and payments-api stores and reads payments in Redis. Two rounds.',
    expected: {
      steps: [
        { action: 'research agent asks the LLM provider for the next step', actor: 'agents/research-agent', target: 'api.llm-provider.example', evidence: ['dns.query', 'net.connect', 'llm.request', 'llm.response'] },
        { action: 'research agent fetches a partner report (fetch_url)', actor: 'agents/research-agent', target: 'docs.partner.example', evidence: ['net.connect', 'http.request'] },
        { action: 'research agent searches its notes through the stdio MCP server', actor: 'agents/research-agent', target: 'notes__search_notes', evidence: ['process.exec', 'llm.request'] },
        { action: 'research agent reads one of its notes from disk (read_file)', actor: 'agents/research-agent', target: 'solar.md', evidence: ['llm.request', 'llm.response'] },
        { action: 'research agent opens an MCP session with mcp-files', actor: 'agents/research-agent', target: 'mcp/mcp-files', evidence: ['net.connect', 'net.accept'] },
        { action: 'support agent streams a completion and calls the weather API (get_weather)', actor: 'agents/support-agent', target: 'api.weather.example', evidence: ['llm.request', 'llm.response', 'net.connect'] },
        { action: 'support agent reads the shared handbook through mcp-files (files__read_file)', actor: 'agents/support-agent', target: 'handbook.md', evidence: ['net.connect', 'file.open'] },
        { action: 'support agent checks host health through the shell MCP server (uptime)', actor: 'agents/support-agent', target: 'shell__run_command', evidence: ['process.exec'] },
        { action: 'payments-api stores and reads payments in Redis', actor: 'payments/payments-api', target: 'payments/payments-db', evidence: ['net.accept', 'net.connect'] },
      ],
      entities: {
        pods: ['agents/research-agent', 'agents/support-agent', 'mcp/mcp-files', 'payments/payments-api', 'payments/payments-db'],
        tools: ['fetch_url', 'notes__search_notes', 'read_file', 'get_weather', 'files__read_file', 'shell__run_command'],
        hosts: ['api.llm-provider.example', 'docs.partner.example', 'api.weather.example'],
        files: ['handbook.md', 'solar.md'],
        identities: ['system:serviceaccount:agents:research-agent', 'system:serviceaccount:agents:support-agent', 'system:serviceaccount:payments:payments-api'],
      },
      techniques: NO_TECHNIQUES,
    },
  },
  async run(ctx) {
    const docs = (doc: string) => serviceUrl(ctx.env, 'docs', 'https', `/reports/${doc}`);
    const rounds = [];
    for (let round = 1; round <= 2; round += 1) {
      const research = [
        await giveTask(ctx, 'research-agent', `Research grid storage using document ${docs('grid-storage.html')}, then check my notes for sodium`, false),
        await giveTask(ctx, 'research-agent', `Research solar supply using document ${docs('solar-supply-chain.html')}`, true),
        await giveTask(ctx, 'research-agent', `Read the file ${path.join(ctx.files.notesDir, 'solar.md')}`, true),
      ];
      const support = [
        await giveTask(ctx, 'support-agent', 'What is the weather in Lisbon?', true),
        await giveTask(ctx, 'support-agent', 'Using the files server, read handbook.md', true),
        await giveTask(ctx, 'support-agent', 'Please check the host health', false),
      ];
      const created = await callService(ctx.env, 'payments-api', 'POST', '/v1/payments', { amount: 12.5 * round, currency: 'EUR' });
      const id = (created.body as { id?: number }).id;
      const read = await callService(ctx.env, 'payments-api', 'GET', `/v1/payments/${id}`);
      rounds.push({ research, support, payment: { created: created.status, read: read.status } });
    }
    return { rounds };
  },
};
