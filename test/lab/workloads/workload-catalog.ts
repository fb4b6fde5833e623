// Every long-running workload process: where it runs, the command, its environment, and how to tell it is ready.
// The programs themselves live beside this file (llm/, external/, node/, python/).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../repo-paths.js';
import { type Placement, type ServiceId, type WorkloadEnvironment, serviceUrl } from './workload-environment.js';

export interface WorkloadProcess {
  id: string;
  where: Placement;
  argv: string[];
  env: Record<string, string>;
  /** The service whose port must accept connections before the process counts as ready. */
  readyService: ServiceId;
}

/** Fake, recognisable API keys ("sk-lab-" prefix): the collector must redact them. Not secrets of anything. */
export const LAB_API_KEYS = {
  research: 'sk-lab-rsch-4f9a2c7e1b3d5f60a8c9e2d4b6f8a0c1d3e5f7a9',
  support: 'sk-lab-supp-9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d',
  notebook: 'sk-lab-nbk-0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3',
} as const;

export const LLM_MODEL = 'gpt-4o-mini';

export function cacheDir(): string {
  return process.env.VIGIL_CACHE ?? path.join(process.env.HOME ?? '/root', '.cache/vigil');
}

/** Each Python workload runs from its own image's virtualenv: the AI workloads share one, payments has its own. */
export type LabVenv = 'lab-venv' | 'lab-venv-payments';

export function labPython(venv: LabVenv = 'lab-venv'): string {
  const python = path.join(cacheDir(), venv, 'bin/python');
  if (!existsSync(python)) throw new Error(`the lab virtualenv is missing (${python}); run scripts/install/lab-workloads.sh`);
  return python;
}

/** The machine's node (Debian's build exports OpenSSL's symbols, so the collector's uprobes reach its TLS). */
export function nodeBinary(): string {
  return existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;
}

export function workloadsDir(): string {
  return path.join(repoRoot(), 'test/lab/workloads');
}

export function nodeProgram(relative: string): string[] {
  const loader = pathToFileURL(path.join(repoRoot(), 'node_modules/tsx/dist/esm/index.mjs')).href;
  return [nodeBinary(), '--import', loader, path.join(workloadsDir(), relative)];
}

export function pythonProgram(relative: string, venv: LabVenv = 'lab-venv'): string[] {
  return [labPython(venv), path.join(workloadsDir(), 'python', relative)];
}

export interface WorkloadFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
  notesDir: string;
  mcpFilesRoot: string;
  modelFile: string;
  redisDir: string;
  recordsDir: string;
}

const listen = (env: WorkloadEnvironment, service: ServiceId) => {
  const a = env.address(service);
  return { LISTEN_HOST: a.bindHost, LISTEN_PORT: String(a.bindPort) };
};

export function recordFile(files: WorkloadFiles, id: string): string {
  return path.join(files.recordsDir, `${id}.jsonl`);
}

function tlsServer(env: WorkloadEnvironment, files: WorkloadFiles, id: string, service: ServiceId, program: string, extra: Record<string, string> = {}): WorkloadProcess {
  const host = env.address(service).clientHost;
  return {
    id, where: { external: host }, argv: nodeProgram(program), readyService: service,
    env: { ...listen(env, service), TLS_KEY_FILE: files.keyFile, TLS_CERT_FILE: files.certFile, RECORD_FILE: recordFile(files, id), ...extra },
  };
}

function agentClientEnv(env: WorkloadEnvironment, files: WorkloadFiles): Record<string, string> {
  return {
    LLM_BASE_URL: serviceUrl(env, 'llm', 'https', '/v1'),
    LLM_MODEL,
    MCP_FILES_URL: serviceUrl(env, 'mcp-files', 'http', '/mcp'),
    SSL_CERT_FILE: files.caFile,
    REQUESTS_CA_BUNDLE: files.caFile,
    NODE_EXTRA_CA_CERTS: files.caFile,
  };
}

export function researchAgent(env: WorkloadEnvironment, files: WorkloadFiles, release: 1 | 2): WorkloadProcess {
  const cache = env.address('research-cache');
  return {
    id: 'research-agent', where: { pod: 'agents/research-agent' }, argv: pythonProgram('research_agent.py'), readyService: 'research-agent',
    env: {
      ...listen(env, 'research-agent'), ...agentClientEnv(env, files), LLM_API_KEY: LAB_API_KEYS.research,
      NOTES_DIR: files.notesDir, AGENT_RELEASE: String(release),
      ...(release === 2 ? { CACHE_REDIS_URL: `redis://${cache.clientHost}:${cache.clientPort}/0`, METRICS_PORT: String(env.address('research-metrics').bindPort) } : {}),
    },
  };
}

/** The release-2 cache: a Redis sidecar in the research agent's pod. */
export function researchCache(env: WorkloadEnvironment, files: WorkloadFiles): WorkloadProcess {
  return { id: 'research-cache', where: { pod: 'agents/research-agent' }, argv: redisArgv(env, 'research-cache', path.join(files.redisDir, 'research-cache')), env: {}, readyService: 'research-cache' };
}

function redisArgv(env: WorkloadEnvironment, service: ServiceId, dataDir: string): string[] {
  const a = env.address(service);
  return ['/usr/bin/redis-server', '--bind', a.bindHost, '--port', String(a.bindPort), '--protected-mode', 'no', '--save', '', '--appendonly', 'no', '--dir', dataDir];
}

/** The shadow-AI model server: not part of a fresh lab; the shadow-ai scenario starts it. */
export function modelServer(env: WorkloadEnvironment, files: WorkloadFiles): WorkloadProcess {
  return { id: 'model-server', where: { pod: 'data-science/model-server' }, argv: pythonProgram('model_server.py'), readyService: 'model-server',
    env: { ...listen(env, 'model-server'), MODEL_FILE: files.modelFile } };
}

/** Every process of a fresh lab, in start order: each group may start in parallel once the one before is ready. */
export function workloadGroups(env: WorkloadEnvironment, files: WorkloadFiles): WorkloadProcess[][] {
  const kube = env.kubeApiUrl;
  return [
    [
      tlsServer(env, files, 'llm-endpoint', 'llm', 'llm/llm-endpoint.ts'),
      tlsServer(env, files, 'weather-api', 'weather', 'external/weather-api.ts'),
      tlsServer(env, files, 'docs-host', 'docs', 'external/docs-host.ts', {
        INJECTION_EXFIL_URL: serviceUrl(env, 'exfil', 'https', '/upload'),
        ...(kube ? { INJECTION_KUBE_API: kube } : {}),
      }),
      tlsServer(env, files, 'exfil-sink', 'exfil', 'external/exfil-sink.ts'),
      { id: 'downloads-host', where: { external: 'downloads.example' }, argv: nodeProgram('external/downloads-host.ts'), readyService: 'downloads',
        env: { ...listen(env, 'downloads'), RECORD_FILE: recordFile(files, 'downloads-host') } },
      { id: 'mining-pool', where: { external: 'pool.mining.example' }, argv: nodeProgram('external/mining-pool.ts'), readyService: 'pool',
        env: { ...listen(env, 'pool'), RECORD_FILE: recordFile(files, 'mining-pool') } },
      { id: 'payments-db', where: { pod: 'payments/payments-db' }, argv: redisArgv(env, 'payments-db', path.join(files.redisDir, 'payments-db')), env: {}, readyService: 'payments-db' },
      { id: 'mcp-files', where: { pod: 'mcp/mcp-files' }, argv: pythonProgram('mcp_files_server.py'), readyService: 'mcp-files',
        env: { ...listen(env, 'mcp-files'), MCP_FILES_ROOT: files.mcpFilesRoot } },
    ],
    [
      { id: 'payments-api', where: { pod: 'payments/payments-api' }, argv: pythonProgram('payments_api.py', 'lab-venv-payments'), readyService: 'payments-api',
        env: { ...listen(env, 'payments-api'), REDIS_URL: `redis://${env.address('payments-db').clientHost}:${env.address('payments-db').clientPort}/0` } },
      researchAgent(env, files, 1),
      { id: 'support-agent', where: { pod: 'agents/support-agent' }, argv: nodeProgram('node/support-agent.ts'), readyService: 'support-agent',
        env: { ...listen(env, 'support-agent'), ...agentClientEnv(env, files), LLM_API_KEY: LAB_API_KEYS.support, WEATHER_API_URL: serviceUrl(env, 'weather', 'https') } },
    ],
  ];
}
