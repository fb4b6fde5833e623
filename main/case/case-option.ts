// The `--case PATH` option shared by the analysis commands (stories, graph, aibom, policy): load, validate, analyze.
import { CliError, UsageError } from '../cli/command.js';
import type { Engine, EngineOptions } from '../../shared/engine/engine.js';
import { eventTimeMs } from '../../shared/engine/event-time.js';
import { analyzeCase } from './case-engine.js';
import { CaseLoadError, loadCase } from './load-case.js';
import { loadCollectorCase, loadLabCase } from './lab-case.js';

export const caseOptions = {
  case: { type: 'string' },
  lab: { type: 'boolean', default: false },
  'learn-until': { type: 'string' },
  collector: { type: 'string' },
  'collector-token': { type: 'string' },
  'collector-ca': { type: 'string' },
} as const;

export const CASE_USAGE = `  --case PATH   an events .ndjson file, or a case directory holding events.ndjson and optionally inventory.json
                (array of inventory snapshots) and actions.jsonl
  --lab         instead of a case: the running lab's collector events, its API server's audit log and its inventory
  --collector URL --collector-token FILE --collector-ca FILE
                instead of a case: every event a collector still buffers (no inventory: shadow AI, posture and
                NetworkPolicy/RBAC generation need one)
  --learn-until T  baselines learn until event time T (RFC 3339) instead of 30 minutes from each workload's first
                event (with --lab: default, learn only during the lab's latest baseline-traffic run)`;

export interface CaseSource {
  case?: string;
  lab?: boolean;
  collector?: string;
  'collector-token'?: string;
  'collector-ca'?: string;
  'learn-until'?: string;
}

function engineOptions(source: CaseSource): EngineOptions {
  const learnUntil = source['learn-until'];
  if (learnUntil !== undefined && Number.isNaN(eventTimeMs(learnUntil))) throw new UsageError(`--learn-until '${learnUntil}' is not an RFC 3339 time`);
  return learnUntil === undefined ? {} : { learnUntil };
}

export async function engineForCase(source: CaseSource, report?: (message: string) => void): Promise<Engine> {
  const chosen = [source.case !== undefined, source.lab === true, source.collector !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('give one of --case PATH, --lab or --collector URL');
  if (chosen === 0) throw new UsageError('--case PATH, --lab or --collector URL is required');
  try {
    if (source.collector !== undefined) {
      if (!source['collector-token'] || !source['collector-ca']) throw new UsageError('--collector needs --collector-token FILE and --collector-ca FILE');
      const live = await loadCollectorCase(source.collector, source['collector-token'], source['collector-ca']);
      report?.(`read ${live.events.length} events from ${source.collector}${live.missedEvents ? `; ${live.missedEvents} events had already fallen out of its buffer` : ''}`);
      return analyzeCase(live, engineOptions(source));
    }
    if (source.lab) {
      const lab = await loadLabCase();
      report?.(`read ${lab.events.length} events from the lab (${lab.auditEvents} from the audit log)${lab.missedEvents ? `; ${lab.missedEvents} events had already fallen out of the collector's buffer` : ''}`);
      // In the lab, "after baseline-traffic has been learned" has a precise meaning: the end of its latest run.
      if (source['learn-until'] === undefined && lab.baselineRun) {
        const { startedAt, endedAt } = lab.baselineRun;
        report?.(`baselines learn from the latest baseline-traffic run only (${startedAt} → ${endedAt}); override with --learn-until`);
        return analyzeCase(lab, { learnFrom: startedAt, learnUntil: endedAt });
      }
      return analyzeCase(lab, engineOptions(source));
    }
    return analyzeCase(await loadCase(source.case!), engineOptions(source));
  } catch (error) {
    if (error instanceof CaseLoadError) throw new CliError(error.message);
    throw error;
  }
}
