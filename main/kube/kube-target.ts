// Which cluster a command talks to: `--lab` (the lab's kubeconfig; the responder context unless `--as` says
// otherwise; the action log in the lab's state dir) or `--context NAME` from the user's kubeconfig files.
import os from 'node:os';
import path from 'node:path';
import { LAB_CONTEXTS, readLabState } from '../../test/lab/lab-state.js';
import { KubeconfigSet, type KubeContextInfo } from './kubeconfig-contexts.js';
import type { KubeClient } from './kube-client.js';

export type LabRole = keyof typeof LAB_CONTEXTS;

export interface KubeTargetRequest {
  lab?: boolean;
  as?: string;
  context?: string;
  timeoutMs?: number;
  actionLog?: string;
}

export interface KubeTarget {
  client: KubeClient;
  context: KubeContextInfo;
  /** Where this target's actions are logged. */
  actionLogFile: string;
  /** Audit logs Vigil knows of for this cluster (the lab's). */
  auditLogs: string[];
}

export class KubeTargetError extends Error {
  override name = 'KubeTargetError';
  /** True when the options themselves are wrong (exit 2), false when the cluster or lab is not there (exit 1). */
  constructor(
    message: string,
    readonly badUsage = false,
  ) {
    super(message);
  }
}

export function defaultActionLogFile(env: NodeJS.ProcessEnv = process.env): string {
  const stateHome = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(stateHome, 'vigil', 'action-log.jsonl');
}

function pick(set: KubeconfigSet, name: string): KubeContextInfo {
  const context = set.find(name);
  if (context) return context;
  const problems = set.problems.map((p) => `\n  ${p.file}${p.context ? ` (${p.context})` : ''}: ${p.message}`).join('');
  const known = set.contexts.map((c) => c.name).join(', ') || 'none';
  throw new KubeTargetError(`no kubeconfig context named '${name}' (known: ${known})${problems}`);
}

export function resolveKubeTarget(request: KubeTargetRequest): KubeTarget {
  if (request.lab && request.context) throw new KubeTargetError('give either --lab or --context, not both', true);
  if (request.lab) {
    const state = readLabState();
    if (!state) throw new KubeTargetError('the lab is not up (run `vigil lab up`)');
    const role = (request.as ?? 'responder') as LabRole;
    if (!Object.hasOwn(LAB_CONTEXTS, role)) throw new KubeTargetError(`--as must be one of ${Object.keys(LAB_CONTEXTS).join(', ')}`, true);
    const set = new KubeconfigSet([state.kubeconfig]);
    const context = pick(set, LAB_CONTEXTS[role]);
    return {
      client: set.client(context.name, request.timeoutMs),
      context,
      actionLogFile: request.actionLog ?? path.join(state.stateDir, 'action-log.jsonl'),
      auditLogs: [state.auditLog],
    };
  }
  if (request.as) throw new KubeTargetError('--as applies to --lab only', true);
  if (!request.context) throw new KubeTargetError('give --lab or --context NAME', true);
  const set = KubeconfigSet.fromEnvironment();
  const context = pick(set, request.context);
  return { client: set.client(context.name, request.timeoutMs), context, actionLogFile: request.actionLog ?? defaultActionLogFile(), auditLogs: [] };
}
