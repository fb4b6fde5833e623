// The `vigil` command as a newcomer meets it: help, version, unknown commands, bad usage.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

const vigil = fileURLToPath(new URL('../../bin/vigil', import.meta.url));
const run = (...args: string[]) => spawnSync(vigil, args, { encoding: 'utf8', timeout: 60_000 });
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('vigil CLI', () => {
  it('--help lists the commands and exits 0', () => {
    const result = run('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: vigil <command>/);
    expect(result.stdout).toMatch(/^\s+serve\s+/m);
  });

  it('--version prints the package version', () => {
    const result = run('--version');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it('an unknown command exits 2 with a usage message on stderr', () => {
    const result = run('frobnicate');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(result.stderr).toMatch(/Usage: vigil/);
    expect(result.stdout).toBe('');
  });

  it('bad options exit 2 and name the problem', () => {
    const result = run('serve', '--port', 'eighty');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--port must be/);
    const unknownFlag = run('serve', '--bogus');
    expect(unknownFlag.status).toBe(2);
  });

  it('--help after -- belongs to the other program, not to vigil', () => {
    const result = run('serve', '--', '--help');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unexpected argument/);
  });

  it('a command\'s --help shows its usage', () => {
    const result = run('serve', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: vigil serve/);
  });
});
