// The enforcement context of a cluster named the way the workbench names it (a context id from `clusters.list`,
// from the user's kubeconfig files or the running lab), built like `vigil enforce` builds it: the same action log,
// the same store per API server, the lab's collector, and in the lab the latest baseline-traffic run as the benign
// period. Credentials, the collector token and the action log stay in main.
import os from 'node:os';
import path from 'node:path';
import { readLabState } from '../../test/lab/lab-state.js';
import { KubeconfigSet } from '../kube/kubeconfig-contexts.js';
import { defaultActionLogFile } from '../kube/kube-target.js';
import { ActionLogFile } from '../kube/action-log-file.js';
import { whoAmI } from '../kube/access/whoami.js';
import { CollectorClient } from '../collector/collector-client.js';
import { targetFromLab, type CollectorTarget } from '../collector/collector-target.js';
import { latestBaselineRun } from '../case/lab-case.js';
import type { EnforcementContext } from './enforcement-context.js';
import { EnforcementStore } from './enforcement-store.js';
import { readLiveCase } from './live-case.js';

export class UnknownClusterError extends Error {
  override name = 'UnknownClusterError';
}

export interface ClusterEnforcementContext extends EnforcementContext {
  contextName: string;
  user: string;
  /** Why there is no collector (the node-level steps are then recorded as unavailable). */
  collectorProblem?: string;
  close(): void;
}

export function clusterEnforcementContext(contextId: string, source: 'kubeconfig' | 'lab', env: NodeJS.ProcessEnv = process.env): ClusterEnforcementContext {
  const lab = source === 'lab' ? readLabState() : null;
  if (source === 'lab' && !lab) throw new UnknownClusterError('the lab is not up (run `vigil lab up`); nothing was changed');
  const set = lab ? new KubeconfigSet([lab.kubeconfig]) : KubeconfigSet.fromEnvironment(env);
  const context = set.contexts.find((c) => c.id === contextId);
  if (!context) throw new UnknownClusterError(`no ${source} context with id ${contextId} any more (reload Clusters); nothing was changed`);
  const client = set.client(context.name);
  let collectorTarget: CollectorTarget | undefined;
  let collectorProblem: string | undefined;
  if (lab) {
    try {
      collectorTarget = targetFromLab(lab.stateDir);
    } catch (error) {
      collectorProblem = (error as Error).message;
    }
  } else {
    collectorProblem = 'collectors of clusters other than the lab are not discovered yet';
  }
  const collector = collectorTarget ? new CollectorClient(collectorTarget) : undefined;
  const stateDir = lab ? lab.stateDir : path.join(env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state'), 'vigil');
  const baselineRun = lab ? latestBaselineRun(lab.stateDir) : undefined;
  const learningWindowMs = lab ? 60_000 : 30 * 60_000;
  return {
    contextName: context.name,
    user: context.user,
    ...(collectorProblem ? { collectorProblem } : {}),
    client,
    clusterId: context.id,
    log: new ActionLogFile(lab ? path.join(lab.stateDir, 'action-log.jsonl') : defaultActionLogFile(env)),
    store: EnforcementStore.forServer(stateDir, client.server),
    ...(collector ? { collector } : {}),
    readCase: () => readLiveCase({ client, clusterId: context.id, ...(collectorTarget ? { collector: collectorTarget } : {}), auditLogs: lab?.auditLog ? [lab.auditLog] : [] }),
    analysis: baselineRun ? { learningWindowMs, since: baselineRun.startedAt, learnUntil: baselineRun.endedAt } : { learningWindowMs },
    now: () => new Date(),
    whoAmI: () => whoAmI(client),
    close: () => collector?.close(),
  };
}
