// The workloads helper's entry points, called if test/lab/workloads/index.ts exists: startLabWorkloads(lab) after
// the pods are up, stopLabWorkloads(lab) before `lab down` kills whatever is left in the pods' cgroups.
// The file is TypeScript next to the sources, so it is loaded through tsx (the CLI bundle does not contain it).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './repo-paths.js';
import type { LabState } from './lab-state.js';

interface WorkloadsModule {
  startLabWorkloads?: (lab: LabState) => Promise<unknown> | unknown;
  stopLabWorkloads?: (lab: LabState) => Promise<unknown> | unknown;
}

export function workloadsEntry(): string {
  return path.join(repoRoot(), 'test/lab/workloads/index.ts');
}

async function loadWorkloads(): Promise<WorkloadsModule | null> {
  const entry = workloadsEntry();
  if (!existsSync(entry)) return null;
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(pathToFileURL(entry).href, import.meta.url)) as WorkloadsModule;
}

/** Returns false when there is no workloads module (or it has no start function). */
export async function startWorkloads(lab: LabState): Promise<boolean> {
  const mod = await loadWorkloads();
  if (!mod?.startLabWorkloads) return false;
  await mod.startLabWorkloads(lab);
  return true;
}

export async function stopWorkloads(lab: LabState): Promise<boolean> {
  const mod = await loadWorkloads();
  if (!mod?.stopLabWorkloads) return false;
  await mod.stopLabWorkloads(lab);
  return true;
}
