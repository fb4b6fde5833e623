// Starts workload processes detached (they outlive `vigil lab up`), with output to a log file each, waits until
// their port accepts connections, and remembers their pids in <dir>/processes.json so any later process
// (`vigil lab down`, a scenario, a test) can stop them. Each process leads its own process group, so stopping it
// also stops its children (an agent's stdio MCP server, a shell a tool started).
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import type { WorkloadProcess } from './workload-catalog.js';
import type { Placement, WorkloadEnvironment } from './workload-environment.js';

export interface RunningProcess {
  id: string;
  pid: number;
  /** Digest of where, argv and env: a running process started from a different spec is replaced. */
  specDigest: string;
  where: Placement;
  logFile: string;
  startedAt: string;
}

const READY_TIMEOUT_MS = 90_000;
const SIDECAR_SETTLE_MS = 1500;

function processesFile(dir: string): string {
  return path.join(dir, 'processes.json');
}

export function readProcesses(dir: string): RunningProcess[] {
  const file = processesFile(dir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunningProcess[]) : [];
}

function writeProcesses(dir: string, list: RunningProcess[]): void {
  writeFileSync(processesFile(dir), `${JSON.stringify(list, null, 2)}\n`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitReady(env: WorkloadEnvironment, spec: WorkloadProcess, pid: number, logFile: string): Promise<void> {
  const target = env.address(spec.readyService).fromHost;
  const started = Date.now();
  const deadline = started + READY_TIMEOUT_MS;
  for (;;) {
    if (!isAlive(pid)) throw new Error(`workload ${spec.id} exited during start-up; last lines of ${logFile}:\n${logTail(logFile)}`);
    // A sidecar reachable only from inside its pod counts as ready once it has survived its start-up.
    if (target === null ? Date.now() - started > SIDECAR_SETTLE_MS : await canConnect(target.host, target.port)) return;
    if (Date.now() > deadline) throw new Error(`workload ${spec.id} did not accept connections within ${READY_TIMEOUT_MS / 1000}s; see ${logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function specDigest(spec: WorkloadProcess): string {
  return createHash('sha256').update(JSON.stringify([spec.where, spec.argv, Object.entries(spec.env).sort()])).digest('hex').slice(0, 16);
}

/**
 * Starts one process unless a live one from the same spec is already recorded; returns its record. A live one
 * from another spec (the topology or the program's settings changed since) is stopped and replaced.
 */
export async function startProcess(env: WorkloadEnvironment, spec: WorkloadProcess): Promise<RunningProcess> {
  const digest = specDigest(spec);
  const existing = readProcesses(env.dir).find((p) => p.id === spec.id && isAlive(p.pid));
  if (existing?.specDigest === digest) return existing;
  if (existing) await stopProcess(env.dir, spec.id);
  const logDir = path.join(env.dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${spec.id}.log`);
  const fd = openSync(logFile, 'a');
  const child = env.spawn(spec.where, spec.argv, { env: spec.env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const spawnError = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`cannot start ${spec.id}: ${e.message}`))));
  child.unref();
  if (child.pid === undefined) await spawnError;
  const record: RunningProcess = { id: spec.id, pid: child.pid!, specDigest: digest, where: spec.where, logFile, startedAt: new Date().toISOString() };
  writeProcesses(env.dir, [...readProcesses(env.dir).filter((p) => p.id !== spec.id), record]);
  await Promise.race([waitReady(env, spec, record.pid, logFile), spawnError]);
  return record;
}

/** SIGTERM to the process group, SIGKILL after a grace period; forgets the process. */
export async function stopProcess(dir: string, id: string, graceMs = 3000): Promise<void> {
  const record = readProcesses(dir).find((p) => p.id === id);
  if (record) await terminateGroup(record.pid, graceMs);
  writeProcesses(dir, readProcesses(dir).filter((p) => p.id !== id));
}

export async function stopAll(dir: string): Promise<void> {
  await Promise.all(readProcesses(dir).map((p) => terminateGroup(p.pid, 3000)));
  if (existsSync(processesFile(dir))) writeProcesses(dir, []);
}

async function terminateGroup(pid: number, graceMs: number): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  };
  if (!isAlive(pid)) return;
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  signal('SIGKILL');
}
