// The options every cluster command shares: --lab [--as ROLE] | --context NAME, and --timeout.
import { CliError, UsageError } from '../cli/command.js';
import { KubeTargetError, resolveKubeTarget, type KubeTarget } from './kube-target.js';

export const kubeTargetOptions = {
  lab: { type: 'boolean' },
  as: { type: 'string' },
  context: { type: 'string' },
  timeout: { type: 'string' },
} as const;

export function targetFrom(values: { lab?: boolean; as?: string; context?: string; timeout?: string }, actionLog?: string): KubeTarget {
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) throw new UsageError('--timeout takes a positive number of milliseconds');
  try {
    return resolveKubeTarget({ lab: values.lab, as: values.as, context: values.context, timeoutMs, actionLog });
  } catch (error) {
    if (error instanceof KubeTargetError) throw error.badUsage ? new UsageError(error.message) : new CliError(error.message);
    throw error;
  }
}
