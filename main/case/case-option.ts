// The `--case PATH` option shared by the analysis commands (stories, graph, aibom, policy): load, validate, analyze.
import { CliError, UsageError } from '../cli/command.js';
import type { Engine, EngineOptions } from '../../shared/engine/engine.js';
import { eventTimeMs } from '../../shared/engine/event-time.js';
import { analyzeCase } from './case-engine.js';
import { CaseLoadError, loadCase } from './load-case.js';
import { loadLabCase } from './lab-case.js';

export const caseOptions = {
  case: { type: 'string' },
  lab: { type: 'boolean', default: false },
  'learn-until': { type: 'string' },
} as const;

export const CASE_USAGE = `  --case PATH   an events .ndjson file, or a case directory holding events.ndjson and optionally inventory.json
                (array of inventory snapshots) and actions.jsonl
  --lab         instead of a case: the running lab's collector events, its API server's audit log and its inventory
  --learn-until T  baselines learn until event time T (RFC 3339) instead of 30 minutes from each workload's first event`;

export interface CaseSource {
  case?: string;
  lab?: boolean;
  'learn-until'?: string;
}

function engineOptions(source: CaseSource): EngineOptions {
  const learnUntil = source['learn-until'];
  if (learnUntil !== undefined && Number.isNaN(eventTimeMs(learnUntil))) throw new UsageError(`--learn-until '${learnUntil}' is not an RFC 3339 time`);
  return learnUntil === undefined ? {} : { learnUntil };
}

export async function engineForCase(source: CaseSource, report?: (message: string) => void): Promise<Engine> {
  if (source.case && source.lab) throw new UsageError('give either --case PATH or --lab, not both');
  if (!source.case && !source.lab) throw new UsageError('--case PATH or --lab is required');
  try {
    if (source.lab) {
      const lab = await loadLabCase();
      report?.(`read ${lab.events.length} events from the lab (${lab.auditEvents} from the audit log)${lab.missedEvents ? `; ${lab.missedEvents} events had already fallen out of the collector's buffer` : ''}`);
      return analyzeCase(lab, engineOptions(source));
    }
    return analyzeCase(await loadCase(source.case!), engineOptions(source));
  } catch (error) {
    if (error instanceof CaseLoadError) throw new CliError(error.message);
    throw error;
  }
}
