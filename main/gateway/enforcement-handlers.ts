// The Enforcement view's calls (`enforcement.*` in shared/api/contract.ts), answered by main/enforce — the same steps
// `vigil enforce` takes, on the cluster context the workbench chose. A read-only host (an evidence bundle) refuses
// every change; a refusal of main/enforce (wrong step, gate closed, not allowed) reaches the view in its own words.
import { ApiError } from '../../shared/api/contract-kit.js';
import type { z } from 'zod';
import type { enforcementRequests, EnforcementAccess, EnforcementAudit, EnforcementOverview, EnforcementPlanView, EnforcementPreview, EnforcementResult } from '../../shared/enforcement/enforcement-api.js';
import { formatDuration } from '../../shared/enforcement/promotion-gate.js';
import { clusterEnforcementContext, UnknownClusterError, type ClusterEnforcementContext } from '../enforce/cluster-context.js';
import { EnforcementError } from '../enforce/enforcement-context.js';
import { EnforcementStoreError } from '../enforce/enforcement-store.js';
import { auditWithEvidence, decide, plan, previewAuditStep, startAudit, stopAudit } from '../enforce/enforcement-audit.js';
import { previewPromotion, previewRollback, promote, rollback } from '../enforce/enforcement-promotion.js';
import { overview } from '../enforce/enforcement-status.js';
import { enforcementAccess } from '../enforce/enforcement-access.js';
import { ActionLogError } from '../kube/action-log-file.js';

type Request<K extends keyof typeof enforcementRequests> = z.output<(typeof enforcementRequests)[K]>;

const READ_ONLY = 'this workbench was opened read-only (an evidence bundle): no enforcement step can be taken; nothing was changed';
const DEFAULT_WINDOW_MS = 7 * 86_400_000;

async function withContext<T>(request: { contextId: string; source: 'kubeconfig' | 'lab' }, work: (ctx: ClusterEnforcementContext) => Promise<T>): Promise<T> {
  let ctx: ClusterEnforcementContext;
  try {
    ctx = clusterEnforcementContext(request.contextId, request.source);
  } catch (error) {
    if (error instanceof UnknownClusterError) throw new ApiError('unavailable', error.message);
    throw error;
  }
  try {
    return await work(ctx);
  } catch (error) {
    if (error instanceof EnforcementError) throw new ApiError(error.code === 'not-allowed' ? 'forbidden' : 'failed', error.message);
    if (error instanceof EnforcementStoreError || error instanceof ActionLogError) throw new ApiError('failed', error.message);
    throw error;
  } finally {
    ctx.close();
  }
}

export function enforcementOverview(request: Request<'overview'>): Promise<EnforcementOverview> {
  return withContext(request, async (ctx) => {
    const result = await overview(ctx);
    return { context: ctx.contextName, user: ctx.user, ...result, gaps: [...(ctx.collectorProblem ? [`no collector: ${ctx.collectorProblem}`] : []), ...result.gaps], computedAt: new Date().toISOString() };
  });
}

export function enforcementPlan(request: Request<'workload'>): Promise<EnforcementPlanView> {
  return withContext(request, (ctx) => plan(ctx, request.workload));
}

export function enforcementAudit(request: Request<'workload'>): Promise<EnforcementAudit> {
  return withContext(request, (ctx) => auditWithEvidence(ctx, request.workload));
}

export function enforcementAccessOf(request: Request<'workload'>, readOnly: boolean): Promise<EnforcementAccess> {
  return withContext(request, async (ctx) => {
    if (readOnly) {
      const refused = { allowed: false, reason: READ_ONLY };
      return { context: ctx.contextName, user: ctx.user, audit: refused, promote: refused, rollback: refused };
    }
    return { context: ctx.contextName, ...(await enforcementAccess(ctx, request.workload.split('/')[0]!)) };
  });
}

export function enforcementPreview(request: Request<'preview'>): Promise<EnforcementPreview> {
  return withContext(request, async (ctx) => {
    const preview = async () => {
      switch (request.step) {
        case 'start-audit':
          return previewAuditStep(ctx, request.workload, 'start');
        case 'stop-audit':
          return previewAuditStep(ctx, request.workload, 'stop');
        case 'promote':
          return previewPromotion(ctx, request.workload);
        case 'rollback':
          return previewRollback(ctx, request.workload);
      }
    };
    try {
      return { step: request.step, ...(await preview()) };
    } catch (error) {
      // A step that cannot be taken now (wrong rung, gate closed, nothing to roll back) is a preview that says why.
      if (error instanceof EnforcementError && error.code !== 'unknown-workload') return { step: request.step, allowed: false, reason: error.message, changes: [], node: null, warnings: [] };
      throw error;
    }
  });
}

export function enforcementRun(request: Request<'run'>, readOnly: boolean): Promise<EnforcementResult> {
  if (readOnly) return Promise.reject(new ApiError('forbidden', READ_ONLY));
  return withContext(request, async (ctx) => {
    switch (request.step) {
      case 'start-audit': {
        const windowMs = request.windowMs ?? DEFAULT_WINDOW_MS;
        const started = await startAudit(ctx, request.workload, windowMs);
        return { summary: `audit of ${request.workload} started for ${formatDuration(windowMs)}; node step ${started.nodeStep.status}`, entry: started.entry };
      }
      case 'stop-audit': {
        const stopped = await stopAudit(ctx, request.workload);
        return { summary: `audit of ${request.workload} stopped; node step ${stopped.nodeStep.status}`, entry: stopped.entry };
      }
      case 'promote':
      case 'rollback': {
        const result = request.step === 'promote' ? await promote(ctx, request.workload) : await rollback(ctx, request.workload);
        const changed = result.entry.objects.filter((o) => o.status === 'applied').length;
        return { summary: `${request.step} of ${request.workload}: ${result.entry.outcome}, ${changed} object(s) changed${result.nodeStep ? `; node step ${result.nodeStep.status}` : ''}`, entry: result.entry };
      }
    }
  });
}

export function enforcementDecide(request: Request<'decide'>, readOnly: boolean): Promise<EnforcementResult> {
  if (readOnly) return Promise.reject(new ApiError('forbidden', READ_ONLY));
  return withContext(request, async (ctx) => {
    const made = await decide(ctx, request.workload, request.violationIds, request.decision, request.reason);
    const what = request.decision === 'accepted' ? 'accepted into the plan' : 'marked suspicious (the policy will block it)';
    return { summary: `${made.violations.map((v) => v.what).join('; ')}: ${what}`, entry: made.entry };
  });
}
