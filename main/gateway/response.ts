// `response.access` and `response.run`: the Response view's calls, on top of main/kube's access reviews and
// quarantine executor. The context is named by the id `clusters.list` gave; credentials, the action log and the
// collector token stay in main. A read-only host (an evidence bundle) refuses every change.
import path from 'node:path';
import { ApiError } from '../../shared/api/contract-kit.js';
import type { ResponseAccess, ResponseRun } from '../../shared/api/contract.js';
import type { z } from 'zod';
import type { responseRunRequestSchema } from '../../shared/api/contract.js';
import { readLabState } from '../../test/lab/lab-state.js';
import { KubeconfigSet } from '../kube/kubeconfig-contexts.js';
import { defaultActionLogFile } from '../kube/kube-target.js';
import { ActionLogFile, ActionLogError } from '../kube/action-log-file.js';
import { AccessReviewer } from '../kube/access/access-review.js';
import { QuarantineError, quarantinePod, releasePod } from '../kube/quarantine/quarantine-executor.js';
import { NoCollectorEnforcer, type NodeEnforcer } from '../kube/quarantine/node-enforcer.js';
import { CollectorNodeEnforcer } from '../kube/quarantine/collector-node-enforcer.js';
import { targetFromLab } from '../collector/collector-target.js';
import type { KubeClient } from '../kube/kube-client.js';

interface ResolvedContext {
  client: KubeClient;
  name: string;
  user: string;
  clusterId: string;
  actionLogFile: string;
  nodeEnforcer(): NodeEnforcer;
}

function resolveContext(contextId: string, source: 'kubeconfig' | 'lab', env: NodeJS.ProcessEnv): ResolvedContext {
  const lab = source === 'lab' ? readLabState() : null;
  if (source === 'lab' && !lab) throw new ApiError('unavailable', 'the lab is not up (run `vigil lab up`); nothing was changed');
  const set = lab ? new KubeconfigSet([lab.kubeconfig]) : KubeconfigSet.fromEnvironment(env);
  const context = set.contexts.find((c) => c.id === contextId);
  if (!context) throw new ApiError('unavailable', `no ${source} context with id ${contextId} any more (reload Clusters); nothing was changed`);
  return {
    client: set.client(context.name),
    name: context.name,
    user: context.user,
    clusterId: context.id,
    actionLogFile: lab ? path.join(lab.stateDir, 'action-log.jsonl') : defaultActionLogFile(env),
    nodeEnforcer: () => {
      if (!lab?.collector) return new NoCollectorEnforcer(lab ? 'the lab collector is not running, so the node-level step was not taken' : undefined);
      try {
        return new CollectorNodeEnforcer(targetFromLab(lab.stateDir));
      } catch (error) {
        return new NoCollectorEnforcer(`no collector to take the node-level step: ${(error as Error).message}`);
      }
    },
  };
}

export async function responseAccess(request: { contextId: string; source: 'kubeconfig' | 'lab'; namespace: string }, env: NodeJS.ProcessEnv = process.env): Promise<ResponseAccess> {
  const context = resolveContext(request.contextId, request.source, env);
  const reviewer = new AccessReviewer(context.client);
  try {
    const [soft, hard, release] = await Promise.all(
      (['quarantine.soft', 'quarantine.hard', 'quarantine.release'] as const).map((action) => reviewer.allowed(action, request.namespace, context.user)),
    );
    const brief = (d: { allowed: boolean; reason: string }) => ({ allowed: d.allowed, reason: d.reason });
    return { context: context.name, user: context.user, soft: brief(soft!), hard: brief(hard!), release: brief(release!) };
  } catch (error) {
    throw new ApiError('unavailable', `the access review in context '${context.name}' failed: ${(error as Error).message}`);
  }
}

export async function responseRun(request: z.output<typeof responseRunRequestSchema>, readOnly: boolean, env: NodeJS.ProcessEnv = process.env): Promise<ResponseRun> {
  if (readOnly && !request.dryRun) throw new ApiError('forbidden', 'this workbench was opened read-only (an evidence bundle): no change can be applied; nothing was changed');
  const context = resolveContext(request.contextId, request.source, env);
  const ctx = { client: context.client, clusterId: context.clusterId, log: new ActionLogFile(context.actionLogFile), nodeEnforcer: context.nodeEnforcer() };
  const target = { namespace: request.namespace, pod: request.pod };
  try {
    const report =
      request.mode === 'release'
        ? await releasePod(ctx, target, { dryRun: request.dryRun })
        : await quarantinePod(ctx, request.mode, target, { dryRun: request.dryRun, ...(request.mode === 'soft' && request.egress ? { egress: request.egress } : {}) });
    return { summary: report.summary, entry: report.entry };
  } catch (error) {
    if (error instanceof QuarantineError || error instanceof ActionLogError) throw new ApiError('failed', error.message);
    throw error;
  }
}
