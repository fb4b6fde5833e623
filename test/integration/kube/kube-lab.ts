// Helpers for main/kube's integration tests: the `vigil` CLI and kubectl (the independent check) against the lab.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LabState } from '../../lab/lab-state.js';
import { VIGIL } from '../lab-fixture.js';

export const kubectlBinary = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p)) ?? 'kubectl';

export interface Run {
  code: number | null;
  out: string;
  err: string;
}

export function run(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const result = spawnSync(command, args, { encoding: 'utf8', input: options.input, env: { ...process.env, ...options.env }, timeout: 120_000 });
  return { code: result.status, out: result.stdout ?? '', err: result.stderr ?? '' };
}

/** Runs bin/vigil; its own rebuild notice ("vigil build: …", when sources changed) is dropped from stderr. */
export function vigil(args: string[], env?: NodeJS.ProcessEnv): Run {
  const result = run(VIGIL, args, { env });
  return { ...result, err: result.err.replace(/^vigil build: .*\n/gm, '') };
}

/** bin/vigil without blocking the event loop: for tests that serve something the command talks to in this process. */
export function vigilAsync(args: string[], env?: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(VIGIL, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, out: stdout, err: stderr.replace(/^vigil build: .*\n/gm, '') });
    });
  });
}

export function kubectlFor(lab: LabState) {
  return (context: 'admin' | 'responder' | 'auditor', ...args: string[]): Run =>
    run(kubectlBinary, ['--kubeconfig', lab.kubeconfig, '--context', lab.contexts[context], ...args]);
}

/** kubectl get … -o json, parsed; throws with kubectl's message on failure. */
export function kubectlJson<T = { items: { metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> } }[] }>(
  lab: LabState,
  ...args: string[]
): T {
  const result = kubectlFor(lab)('admin', ...args, '-o', 'json');
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.err}`);
  return JSON.parse(result.out) as T;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}
