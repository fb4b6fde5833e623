import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterEnforcementContext, UnknownClusterError } from './cluster-context.js';
import { enforcementDecide, enforcementRun } from '../gateway/enforcement-handlers.js';
import { enforcementRequests } from '../../shared/enforcement/enforcement-api.js';

const env = { KUBECONFIG: path.join(mkdtempSync(path.join(os.tmpdir(), 'vigil-enforce-')), 'none'), HOME: os.tmpdir() };
const ref = { contextId: 'c0ffee', source: 'kubeconfig' as const, workload: 'agents/research-agent' };

describe('enforcement from the workbench', () => {
  it('refuses a context that does not exist, saying nothing was changed', () => {
    expect(() => clusterEnforcementContext('c0ffee', 'kubeconfig', env)).toThrow(UnknownClusterError);
    expect(() => clusterEnforcementContext('c0ffee', 'kubeconfig', env)).toThrow(/no kubeconfig context with id c0ffee.*nothing was changed/);
  });

  it('refuses every step and decision from a read-only workbench before touching any cluster', async () => {
    await expect(enforcementRun({ ...ref, step: 'promote' }, true)).rejects.toMatchObject({ code: 'forbidden', message: /read-only.*nothing was changed/ });
    await expect(enforcementDecide({ ...ref, violationIds: ['v-1'], decision: 'accepted', reason: 'r' }, true)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('rejects malformed requests: a workload without its namespace, a window under a minute, a decision without a reason', () => {
    expect(enforcementRequests.workload.safeParse({ ...ref, workload: 'research-agent' }).success).toBe(false);
    expect(enforcementRequests.run.safeParse({ ...ref, step: 'start-audit', windowMs: 5_000 }).success).toBe(false);
    expect(enforcementRequests.run.safeParse({ ...ref, step: 'start-audit', windowMs: 120_000 }).success).toBe(true);
    expect(enforcementRequests.decide.safeParse({ ...ref, violationIds: ['v-1'], decision: 'accepted', reason: '' }).success).toBe(false);
    expect(enforcementRequests.run.safeParse({ ...ref, step: 'promote', extra: 1 }).success).toBe(false);
  });
});
