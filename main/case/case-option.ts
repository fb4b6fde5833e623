// The `--case PATH` option shared by the analysis commands (stories, graph, aibom, policy): load, validate, analyze.
import { CliError, UsageError } from '../cli/command.js';
import type { Engine } from '../../shared/engine/engine.js';
import { analyzeCase } from './case-engine.js';
import { CaseLoadError, loadCase } from './load-case.js';

export const caseOptions = {
  case: { type: 'string' },
} as const;

export const CASE_USAGE = `  --case PATH   an events .ndjson file, or a case directory holding events.ndjson and optionally inventory.json
                (array of inventory snapshots) and actions.jsonl`;

export async function engineForCase(casePath: string | undefined): Promise<Engine> {
  if (!casePath) throw new UsageError('--case PATH is required');
  try {
    return analyzeCase(await loadCase(casePath));
  } catch (error) {
    if (error instanceof CaseLoadError) throw new CliError(error.message);
    throw error;
  }
}
