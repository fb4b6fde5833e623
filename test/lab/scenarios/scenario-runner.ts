// Runs a scenario against running workloads and appends {name, runId, startedAt, endedAt} (plus whether it
// succeeded) to the runs file, so evidence and tests can line observations up with the run that caused them.
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkloadFiles } from '../workloads/workload-catalog.js';
import type { WorkloadEnvironment } from '../workloads/workload-environment.js';
import type { Scenario } from './scenario-types.js';

export interface ScenarioRun {
  name: string;
  runId: string;
  startedAt: string;
  endedAt: string;
  ok: boolean;
  error?: string;
}

export const RUNS_FILE = 'scenario-runs.jsonl';

/** The runs file lives in the lab state dir (the parent of the workloads dir), or in the loopback dir. */
export function runsFile(env: WorkloadEnvironment): string {
  return path.join(env.lab ? env.lab.stateDir : env.dir, RUNS_FILE);
}

export function readRuns(env: WorkloadEnvironment): ScenarioRun[] {
  const file = runsFile(env);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as ScenarioRun);
}

export async function runScenario(
  scenario: Scenario, env: WorkloadEnvironment, files: WorkloadFiles, log: (message: string) => void = () => {},
): Promise<ScenarioRun & { outcome?: Record<string, unknown> }> {
  const runId = randomUUID();
  const startedAt = new Date().toISOString();
  let outcome: Record<string, unknown> | undefined;
  let error: string | undefined;
  try {
    outcome = await scenario.run({ env, files, runId, log });
  } catch (e) {
    error = (e as Error).message;
  }
  const run: ScenarioRun = { name: scenario.description.name, runId, startedAt, endedAt: new Date().toISOString(), ok: error === undefined, ...(error ? { error } : {}) };
  appendFileSync(runsFile(env), `${JSON.stringify(run)}\n`);
  return { ...run, ...(outcome ? { outcome } : {}) };
}
