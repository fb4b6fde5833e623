// What a scenario can do: give agents tasks over HTTP, call lab services, run one-shot commands inside a pod, and
// start or replace workload processes. Everything goes through the workload environment, so a scenario runs the
// same way in the lab and on loopback.
import { request } from 'node:http';
import type { WorkloadFiles } from '../workloads/workload-catalog.js';
import type { Placement, ServiceId, WorkloadEnvironment } from '../workloads/workload-environment.js';

export interface AgentStep {
  tool: string;
  arguments: string;
  ok: boolean;
}

export interface AgentResult {
  answer: string;
  steps: AgentStep[];
}

export interface CommandResult {
  exitCode: number;
  output: string;
}

export interface ScenarioContext {
  env: WorkloadEnvironment;
  files: WorkloadFiles;
  runId: string;
  log(message: string): void;
}

const HTTP_TIMEOUT_MS = 120_000;

/** One HTTP request from the host to a lab service (pod IP and target port); JSON in, parsed JSON out. */
export function callService(env: WorkloadEnvironment, service: ServiceId, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const target = env.address(service).fromHost;
  if (!target) return Promise.reject(new Error(`${service} is reachable only from inside its pod`));
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.host, port: target.port, method, path, timeout: HTTP_TIMEOUT_MS,
        headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // plain-text answers (e.g. /metrics) stay text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${service}${path} timed out after ${HTTP_TIMEOUT_MS / 1000}s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Gives an agent a task through its /tasks endpoint and returns its answer and the tool steps it took. */
export async function giveTask(ctx: ScenarioContext, agent: 'research-agent' | 'support-agent', task: string, stream: boolean): Promise<AgentResult> {
  ctx.log(`${agent}: ${task}`);
  const { status, body } = await callService(ctx.env, agent, 'POST', '/tasks', { task, stream });
  if (status !== 200) throw new Error(`${agent} answered ${status} to a task: ${JSON.stringify(body)}`);
  return body as AgentResult;
}

/** Runs a one-shot command where a workload would (in its pod, or on loopback) and waits for it. */
export function runCommand(ctx: ScenarioContext, where: Placement, argv: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CommandResult> {
  ctx.log(`${'pod' in where ? where.pod : where.external}: ${argv.join(' ')}`);
  const child = ctx.env.spawn(where, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${argv[0]} did not finish within ${timeoutMs / 1000}s`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? -1, output });
    });
  });
}
