// Running the `vigil` CLI and standard tools the way a user does, for the evidence integration tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CHROMIUM = '/usr/bin/chromium';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], env: Record<string, string> = {}, input?: string): Run {
  const result = spawnSync(command, args, { cwd: REPO, env: { ...process.env, ...env }, encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024, timeout: 300_000 });
  return { code: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

export function vigil(args: string[], env: Record<string, string>): Run {
  return run(path.join(REPO, 'bin/vigil'), args, env);
}

export function hasTool(name: string): boolean {
  return run('sh', ['-c', `command -v ${name}`]).code === 0;
}

/** The script of docs/verify-without-vigil.md, exactly as a reader would copy it. */
export function verifyWithoutVigilScript(): string {
  const doc = readFileSync(path.join(REPO, 'docs/verify-without-vigil.md'), 'utf8');
  const match = /```bash verify-without-vigil\n([\s\S]*?)```/.exec(doc);
  if (!match) throw new Error('docs/verify-without-vigil.md has no ```bash verify-without-vigil block');
  return match[1]!;
}

export const chromiumMissing = !existsSync(CHROMIUM);
