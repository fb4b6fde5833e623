// One `lab up` / `lab down` at a time on a machine: several test runs (or a test run and a person) may ask for the
// lab at once, and two concurrent `up`s would race for the same ports, bridge and namespaces. The lock is a
// directory holding the owner's pid; a lock whose owner died is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const LOCK_DIR = '/run/vigil-lab.lock';

/** 'starting' while the owner has made the directory but not yet written its pid. */
function lockOwner(): 'alive' | 'dead' | 'starting' {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
  } catch {
    return 'starting';
  }
  try {
    process.kill(pid, 0);
    return 'alive';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? 'alive' : 'dead';
  }
}

export async function withLabLock<T>(what: string, log: (m: string) => void, fn: () => Promise<T>, timeoutMs = 20 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  let staleChecks = 0;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = lockOwner();
    // A missing pid file means "being created" for a moment; for seconds on end, an owner that crashed in between.
    staleChecks = owner === 'starting' ? staleChecks + 1 : 0;
    if (owner === 'dead' || staleChecks > 25) {
      rmSync(LOCK_DIR, { recursive: true, force: true });
      staleChecks = 0;
      continue;
    }
    if (!told) {
      log(`waiting for another lab up/down to finish before ${what} (lock ${LOCK_DIR})`);
      told = true;
    }
    if (Date.now() > deadline) throw new Error(`another lab up/down held ${LOCK_DIR} for ${timeoutMs / 60_000} minutes; nothing was changed`);
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}
