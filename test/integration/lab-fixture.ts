// Shared fixture for integration tests that need the lab: `await ensureLab()` brings it up once per test run
// (through `bin/vigil lab up`, the same path a user takes) or reuses one that is already running and healthy.
// Use `labSkipReason()` with `it.skipIf(...)` so a machine that cannot run the lab skips visibly.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLabState, type LabState } from '../lab/lab-state.js';
import { labHealth } from '../lab/lab-health.js';
import { findCgroupV2Root } from '../lab/host/cgroups.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VIGIL = path.join(REPO_ROOT, 'bin/vigil');

/** Why the lab cannot run here, or null when it can. */
export function labSkipReason(): string | null {
  if (process.platform !== 'linux') return 'the lab needs Linux';
  if (process.getuid?.() !== 0) return 'the lab needs root';
  if (!findCgroupV2Root()) return 'the lab needs cgroup v2';
  return null;
}

let pending: Promise<LabState> | null = null;

export function ensureLab(): Promise<LabState> {
  pending ??= bringUp();
  return pending;
}

/** Forget the cached lab (after a test took it down). */
export function forgetLab(): void {
  pending = null;
}

async function bringUp(): Promise<LabState> {
  const reason = labSkipReason();
  if (reason) throw new Error(`cannot bring the lab up: ${reason}`);
  const existing = readLabState();
  if (existing && (await labHealth(existing)).problems.length === 0) return existing;
  const result = spawnSync(VIGIL, ['lab', 'up', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 900_000 });
  if (result.status !== 0) throw new Error(`vigil lab up failed (exit ${result.status}); its messages are above`);
  const state = readLabState();
  if (!state) throw new Error('vigil lab up succeeded but wrote no state.json');
  return state;
}
