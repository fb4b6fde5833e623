// Long-running lab processes (etcd, kube-apiserver, dnsmasq, the collector) started detached so they outlive
// `vigil lab up`, each with a pid file and a log file, placed in a lab cgroup before they exec.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export interface DaemonSpec {
  name: string;
  command: string;
  args: string[];
  /** cgroup v2 directory the process joins before exec (so every child is attributed to it too). */
  cgroupDir: string;
  stateDir: string;
  env?: NodeJS.ProcessEnv;
}

export function daemonPidFile(stateDir: string, name: string): string {
  return path.join(stateDir, 'run', `${name}.pid`);
}

export function daemonLogFile(stateDir: string, name: string): string {
  return path.join(stateDir, 'log', `${name}.log`);
}

/** The pid of a running daemon started by the lab, or null (no pid file, or the process is gone or not it). */
export function runningDaemonPid(stateDir: string, name: string, executable: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(daemonPidFile(stateDir, name), 'utf8').trim());
  } catch {
    return null;
  }
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return path.basename(argv0) === path.basename(executable) ? pid : null;
  } catch {
    return null;
  }
}

export function startDaemon(spec: DaemonSpec): number {
  mkdirSync(path.join(spec.stateDir, 'run'), { recursive: true });
  mkdirSync(path.join(spec.stateDir, 'log'), { recursive: true });
  const log = openSync(daemonLogFile(spec.stateDir, spec.name), 'a');
  // The shell moves itself into the cgroup, then execs the daemon: same pid, attributed from its first instruction.
  const child = spawn('/bin/sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', spec.cgroupDir, spec.command, ...spec.args], {
    detached: true,
    stdio: ['ignore', log, log],
    env: spec.env ?? process.env,
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command})`);
  child.unref();
  writeFileSync(daemonPidFile(spec.stateDir, spec.name), `${child.pid}\n`);
  waitForExec(child.pid, spec.command);
  return child.pid;
}

/** Until the wrapper shell has exec'd the daemon, the pid still names /bin/sh; wait (briefly) for the exec. */
function waitForExec(pid: number, executable: string): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 200; i++) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return; // exited already: the caller's health check reports it with the log
    }
    if (path.basename(cmdline.split('\0')[0] ?? '') === path.basename(executable)) return;
    Atomics.wait(sleeper, 0, 0, 10);
  }
}

/** Sends SIGTERM, waits up to `timeoutMs`, then SIGKILL. Removes the pid file. */
export async function stopDaemon(stateDir: string, name: string, executable: string, timeoutMs = 5000): Promise<void> {
  const pid = runningDaemonPid(stateDir, name, executable);
  if (pid !== null) {
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
    const deadline = Date.now() + timeoutMs;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    if (isAlive(pid)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  }
  rmSync(daemonPidFile(stateDir, name), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers signal 0; it has exited for our purposes.
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Last lines of a daemon's log, for error messages. */
export function daemonLogTail(stateDir: string, name: string, lines = 15): string {
  try {
    return readFileSync(daemonLogFile(stateDir, name), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
