// The lab's workloads: `vigil lab up` calls startLabWorkloads(lab) once the pods exist, `vigil lab down` calls
// stopLabWorkloads(lab). Both are idempotent. startLoopbackWorkloads runs the same programs on 127.0.0.1 for
// development and for the workload tests that need no lab.
import path from 'node:path';
import type { LabState } from '../lab-state.js';
import { type WorkloadFiles, workloadGroups } from './workload-catalog.js';
import { prepareWorkloadFiles } from './workload-data.js';
import { labEnvironment, loopbackEnvironment, type WorkloadEnvironment } from './workload-environment.js';
import { type RunningProcess, startProcess, stopAll } from './process-supervisor.js';
import { applyWorkloadSecrets } from './workload-secrets.js';

export interface RunningWorkloads {
  env: WorkloadEnvironment;
  files: WorkloadFiles;
  processes: RunningProcess[];
}

export function workloadsStateDir(lab: LabState): string {
  return path.join(lab.stateDir, 'workloads');
}

/** The environment and files of the lab's workloads, without starting anything (for scenarios and tests). */
export function labWorkloads(lab: LabState): Omit<RunningWorkloads, 'processes'> {
  const dir = workloadsStateDir(lab);
  return { env: labEnvironment(lab, dir), files: prepareWorkloadFiles(dir) };
}

async function startAll(env: WorkloadEnvironment, files: WorkloadFiles): Promise<RunningProcess[]> {
  const started: RunningProcess[] = [];
  for (const group of workloadGroups(env, files)) {
    started.push(...(await Promise.all(group.map((spec) => startProcess(env, spec)))));
  }
  return started;
}

export async function startLabWorkloads(lab: LabState): Promise<RunningWorkloads> {
  const { env, files } = labWorkloads(lab);
  await applyWorkloadSecrets(lab);
  return { env, files, processes: await startAll(env, files) };
}

export async function stopLabWorkloads(lab: LabState): Promise<void> {
  await stopAll(workloadsStateDir(lab));
}

export async function startLoopbackWorkloads(dir: string): Promise<RunningWorkloads> {
  const env = await loopbackEnvironment(dir);
  const files = prepareWorkloadFiles(dir);
  try {
    return { env, files, processes: await startAll(env, files) };
  } catch (error) {
    await stopAll(dir);
    throw error;
  }
}

export async function stopLoopbackWorkloads(dir: string): Promise<void> {
  await stopAll(dir);
}
