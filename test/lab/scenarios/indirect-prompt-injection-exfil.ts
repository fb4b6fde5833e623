// indirect-prompt-injection-exfil (attack): a partner report carries instructions for AI assistants; the scripted
// model obeys them with a run_shell call; the research agent's shell reads its service-account token, lists the
// cluster's secrets with it (its ServiceAccount is over-privileged) and posts them to the attacker's sink.
import { serviceUrl } from '../workloads/workload-environment.js';
import type { Scenario } from './scenario-types.js';
import { giveTask } from './scenario-context.js';

export const indirectPromptInjectionExfil: Scenario = {
  description: {
    name: 'indirect-prompt-injection-exfil',
    tags: ['attack', 'ai', 'llm', 'kubernetes'],
    description: 'The research agent retrieves a tampered partner report; a hidden instruction makes the model call run_shell, '
      + 'which reads the service-account token, lists secrets cluster-wide through the Kubernetes API and uploads them to collect.exfil.example.',
    expected: {
      steps: [
        { action: 'research agent fetches the tampered report (fetch_url)', actor: 'agents/research-agent', target: 'docs.partner.example', evidence: ['net.connect', 'http.request'] },
        { action: 'the report text, with the injected instruction, goes to the LLM as a tool result', actor: 'agents/research-agent', target: 'api.llm-provider.example', evidence: ['llm.request'] },
        { action: 'the LLM answers with a run_shell tool call', actor: 'api.llm-provider.example', target: 'run_shell', evidence: ['llm.response'] },
        { action: 'the agent spawns a shell, which reads the service-account token', actor: 'agents/research-agent', target: '/var/run/secrets/kubernetes.io/serviceaccount/token', evidence: ['process.exec', 'file.open'] },
        { action: 'curl lists secrets cluster-wide with the token', actor: 'agents/research-agent', target: 'https://kubernetes.default.svc/api/v1/secrets', evidence: ['process.exec', 'net.connect', 'k8s.audit'] },
        { action: 'curl uploads the secrets to the exfiltration sink', actor: 'agents/research-agent', target: 'collect.exfil.example', evidence: ['dns.query', 'net.connect', 'net.close'] },
      ],
      entities: {
        pods: ['agents/research-agent'],
        tools: ['fetch_url', 'run_shell'],
        hosts: ['docs.partner.example', 'api.llm-provider.example', 'kubernetes.default.svc', 'collect.exfil.example'],
        files: ['/var/run/secrets/kubernetes.io/serviceaccount/token'],
        identities: ['system:serviceaccount:agents:research-agent'],
      },
      techniques: {
        mitreAttack: ['T1059.004', 'T1552.007', 'T1528', 'T1567'],
        atlas: ['AML.T0051.001', 'AML.T0053', 'AML.T0057'],
        owaspLlm: ['LLM01:2025', 'LLM02:2025', 'LLM06:2025'],
        owaspAgentic: ['ASI01', 'ASI02', 'ASI03', 'ASI05'],
      },
    },
  },
  async run(ctx) {
    const report = serviceUrl(ctx.env, 'docs', 'https', '/reports/q3-market-outlook.html');
    return { research: await giveTask(ctx, 'research-agent', `Research the Q3 market outlook using document ${report}`, false) };
  },
};
