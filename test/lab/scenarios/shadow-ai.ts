// shadow-ai (attack): the data-science namespace, whose pods declare no AI role, starts serving a model from a
// safetensors file and a notebook calls both it and an external LLM API with its own key - AI nobody registered.
import { LAB_API_KEYS, modelServer, pythonProgram } from '../workloads/workload-catalog.js';
import { startProcess } from '../workloads/process-supervisor.js';
import { serviceUrl } from '../workloads/workload-environment.js';
import type { Scenario } from './scenario-types.js';
import { runCommand } from './scenario-context.js';

export const shadowAi: Scenario = {
  description: {
    name: 'shadow-ai',
    tags: ['attack', 'ai', 'llm'],
    description: 'model-server-0 (no vigil.dev/ai-role annotation) opens a .safetensors model and serves completions on :8000; '
      + 'the notebook pod calls it, then calls api.llm-provider.example through the openai SDK and the Anthropic messages API.',
    expected: {
      steps: [
        { action: 'model server opens a model file', actor: 'data-science/model-server', target: 'churn-llm-mini.safetensors', evidence: ['process.exec', 'file.open'] },
        { action: 'model server listens and answers completions', actor: 'data-science/model-server', target: ':8000', evidence: ['net.accept'] },
        { action: 'notebook calls the in-cluster model server', actor: 'data-science/notebook', target: 'model-server.data-science.svc.cluster.local', evidence: ['dns.query', 'net.connect', 'http.request'] },
        { action: 'notebook calls an external LLM API (OpenAI format) with an undeclared key', actor: 'data-science/notebook', target: 'api.llm-provider.example', evidence: ['net.connect', 'llm.request', 'llm.response'] },
        { action: 'notebook calls the same provider in Anthropic format, streamed', actor: 'data-science/notebook', target: 'api.llm-provider.example', evidence: ['llm.request', 'llm.response'] },
      ],
      entities: {
        pods: ['data-science/model-server', 'data-science/notebook'],
        tools: [],
        hosts: ['api.llm-provider.example', 'model-server.data-science.svc.cluster.local'],
        files: ['churn-llm-mini.safetensors'],
        identities: ['system:serviceaccount:data-science:default'],
      },
      techniques: {
        mitreAttack: [],
        atlas: ['AML.T0057'],
        owaspLlm: ['LLM02:2025', 'LLM03:2025'],
        owaspAgentic: ['ASI04'],
      },
    },
  },
  async run(ctx) {
    const server = await startProcess(ctx.env, modelServer(ctx.env, ctx.files));
    const notebook = await runCommand(ctx, { pod: 'data-science/notebook' }, pythonProgram('notebook_llm_client.py'), {
      MODEL_SERVER_URL: serviceUrl(ctx.env, 'model-server', 'http'),
      LLM_BASE_URL: serviceUrl(ctx.env, 'llm', 'https', '/v1'),
      LLM_API_KEY: LAB_API_KEYS.notebook,
      SSL_CERT_FILE: ctx.files.caFile,
    });
    if (notebook.exitCode !== 0) throw new Error(`the notebook's LLM client failed (exit ${notebook.exitCode}):\n${notebook.output}`);
    return { modelServerPid: server.pid, notebook };
  },
};
