// What Vigil keeps between enforcement steps of a workload: the plan (generated policies, amended by accepted
// violations) and the plan as its audit started, when its audit started and how long the window is, and the decisions taken on violations. The ladder
// itself is derived from the baseline and the action log (shared/enforcement/ladder.ts), never stored here.
// One JSON file per cluster, written atomically (temp file + rename) so a crash never leaves half a state.
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { GeneratedPolicy } from '../../shared/model/policy.js';
import type { ViolationDecision } from '../../shared/enforcement/violations.js';
import type { AnalysisParams } from './enforcement-context.js';

const generatedPolicySchema = z
  .object({ kind: z.enum(['networkpolicy', 'seccomp', 'rbac']), pod: z.string(), workload: z.string(), objects: z.array(z.record(z.string(), z.unknown())) })
  .loose();

const workloadStateSchema = z.object({
  workload: z.string(),
  /** The pod the plan was generated from (its workload's pods share it). */
  pod: z.string(),
  plan: z.object({ networkpolicy: generatedPolicySchema, seccomp: generatedPolicySchema, rbac: generatedPolicySchema }),
  startPlan: z.object({ networkpolicy: generatedPolicySchema, seccomp: generatedPolicySchema, rbac: generatedPolicySchema }).optional(),
  auditStartedAt: z.string().optional(),
  windowMs: z.number().int().positive(),
  analysis: z.object({ since: z.string().optional(), learningWindowMs: z.number().int().positive(), learnUntil: z.string().optional() }),
  decisions: z.array(z.object({ violationId: z.string(), decision: z.enum(['accepted', 'suspicious']), by: z.string(), at: z.string(), reason: z.string() })),
});
export interface WorkloadEnforcementState {
  workload: string;
  pod: string;
  plan: Record<'networkpolicy' | 'seccomp' | 'rbac', GeneratedPolicy>;
  /**
   * The plan as the audit started, before any violation was accepted into it: violations are judged against it, so
   * an accepted one stays listed with its decision instead of vanishing once the plan allows it.
   */
  startPlan?: Record<'networkpolicy' | 'seccomp' | 'rbac', GeneratedPolicy>;
  auditStartedAt?: string;
  windowMs: number;
  analysis: AnalysisParams;
  decisions: ViolationDecision[];
}

const fileSchema = z.object({ version: z.literal(1), clusterId: z.string(), workloads: z.record(z.string(), workloadStateSchema) });

export class EnforcementStoreError extends Error {
  override name = 'EnforcementStoreError';
}

export class EnforcementStore {
  constructor(
    readonly file: string,
    readonly clusterId: string,
  ) {}

  /**
   * One store per API server, not per kubeconfig context: a responder and an auditor looking at the same cluster
   * through different contexts must see the same audit and the same decisions.
   */
  static forServer(dir: string, server: string): EnforcementStore {
    const id = createHash('sha256').update(server).digest('hex').slice(0, 24);
    return new EnforcementStore(path.join(dir, `enforcement-${id}.json`), id);
  }

  private readAll(): Record<string, WorkloadEnforcementState> {
    if (!existsSync(this.file)) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (error) {
      throw new EnforcementStoreError(`the enforcement state ${this.file} is not JSON (${(error as Error).message}); nothing was changed — move it aside to start over`);
    }
    const result = fileSchema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new EnforcementStoreError(`the enforcement state ${this.file} is malformed at ${issue?.path.join('.')}: ${issue?.message}; nothing was changed`);
    }
    if (result.data.clusterId !== this.clusterId) throw new EnforcementStoreError(`the enforcement state ${this.file} belongs to cluster ${result.data.clusterId}, not ${this.clusterId}`);
    return result.data.workloads as unknown as Record<string, WorkloadEnforcementState>;
  }

  get(workload: string): WorkloadEnforcementState | undefined {
    return this.readAll()[workload];
  }

  all(): WorkloadEnforcementState[] {
    return Object.values(this.readAll()).sort((a, b) => (a.workload < b.workload ? -1 : 1));
  }

  put(state: WorkloadEnforcementState): void {
    const workloads = { ...this.readAll(), [state.workload]: state };
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ version: 1, clusterId: this.clusterId, workloads }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.file);
  }
}
