// The `--lab | --collector URL --token-file F --ca-file F` options shared by `vigil events` and `vigil profile`.
import { CliError, UsageError } from '../cli/command.js';
import { CollectorTargetError, targetFromFiles, targetFromLab, type CollectorTarget } from './collector-target.js';

export const collectorTargetOptions = {
  lab: { type: 'boolean', default: false },
  collector: { type: 'string' },
  'token-file': { type: 'string' },
  'ca-file': { type: 'string' },
} as const;

export const collectorTargetUsage = `  --lab                  the collector of the running lab (\`vigil lab up\`)
  --collector URL        a collector's https URL, with:
  --token-file FILE      file holding its bearer token
  --ca-file FILE         PEM of the CA that signed its certificate`;

export function resolveCollectorTarget(values: { lab?: boolean; collector?: string; 'token-file'?: string; 'ca-file'?: string }): CollectorTarget {
  if (values.lab && values.collector) throw new UsageError('give either --lab or --collector, not both');
  try {
    if (values.lab) return targetFromLab();
    if (!values.collector) throw new UsageError('say which collector: --lab, or --collector URL --token-file F --ca-file F');
    if (!values['token-file'] || !values['ca-file']) throw new UsageError('--collector needs --token-file and --ca-file');
    return targetFromFiles(values.collector, values['token-file'], values['ca-file']);
  } catch (error) {
    if (error instanceof CollectorTargetError) throw new CliError(error.message);
    throw error;
  }
}
