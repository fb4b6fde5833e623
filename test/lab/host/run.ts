// Running host tools (ip, nft, openssl, ...) with errors that say which command failed and what it printed.
import { spawnSync } from 'node:child_process';

export class HostCommandError extends Error {
  override name = 'HostCommandError';
  constructor(readonly command: string, readonly status: number | null, readonly stderr: string) {
    super(`\`${command}\` failed (exit ${status ?? 'signal'}): ${stderr.trim() || '(no output)'}`);
  }
}

export interface RunOptions {
  input?: string;
  /** Exit codes other than 0 that are not an error (e.g. "already exists"); the caller inspects the result. */
  allowFailure?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface RunResult { status: number | null; stdout: string; stderr: string }

export function run(cmd: string, args: string[], options: RunOptions = {}): RunResult {
  const result = spawnSync(cmd, args, {
    input: options.input,
    encoding: 'utf8',
    env: options.env ?? process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new HostCommandError([cmd, ...args].join(' '), null, result.error.message);
  const out = { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  if (out.status !== 0 && !options.allowFailure) throw new HostCommandError([cmd, ...args].join(' '), out.status, out.stderr);
  return out;
}

/** True when `cmd` is found on PATH. */
export function haveCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}
