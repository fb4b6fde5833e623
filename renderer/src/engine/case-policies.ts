// Posture and generated policies for one workload of the open case, computed by the engine's pure generators over
// the case's recorded events and inventory, with the audit replay of each policy: what it would have blocked.
import type { Engine } from '../../../shared/engine/engine.js';
import { computePosture } from '../../../shared/engine/posture.js';
import { generateNetworkPolicy } from '../../../shared/engine/networkpolicy-generator.js';
import { generateSeccomp } from '../../../shared/engine/seccomp-generator.js';
import { generateRbac } from '../../../shared/engine/rbac-generator.js';
import { replayNetworkPolicies, replayRbac, replaySeccomp } from '../../../shared/engine/policy-replay.js';
import { resolveTarget } from '../../../shared/engine/policy-target.js';
import type { GeneratedPolicy, PolicyKind, ReplayResult } from '../../../shared/model/policy.js';
import type { WorkloadPosture } from '../../../shared/model/workload-posture.js';

export interface WorkloadChoice {
  workload: string;
  pods: string[];
  state: 'learning' | 'ready';
  eventCount: number;
}

export type PolicyOutcome =
  | { kind: PolicyKind; status: 'ready'; policy: GeneratedPolicy; replay: ReplayResult }
  | { kind: PolicyKind; status: 'failed'; reason: string };

export function workloadChoices(engine: Engine): WorkloadChoice[] {
  return engine
    .baselineList()
    .map((profile) => profile.toJSON())
    .map((b) => ({ workload: b.workload, pods: [...b.pods].sort(), state: b.state, eventCount: b.eventCount }))
    .sort((a, b) => (a.workload < b.workload ? -1 : 1));
}

export function postureOf(engine: Engine, workload: string): WorkloadPosture {
  const profile = engine.baselineOf(workload);
  if (!profile) throw new Error(`no events were recorded for the workload ${workload}`);
  return computePosture(profile, engine.inventoryIndex);
}

export function policiesFor(engine: Engine, pod: string): PolicyOutcome[] {
  const inventory = engine.inventoryIndex;
  const events = engine.recordedEvents();
  const target = resolveTarget(pod, inventory, (w) => engine.baselineOf(w));
  const attempt = (kind: PolicyKind, run: () => { policy: GeneratedPolicy; replay: ReplayResult }): PolicyOutcome => {
    try {
      return { kind, status: 'ready', ...run() };
    } catch (error) {
      return { kind, status: 'failed', reason: (error as Error).message };
    }
  };
  return [
    attempt('networkpolicy', () => {
      const policy = generateNetworkPolicy(target, inventory);
      return { policy, replay: replayNetworkPolicies(policy.objects, events, inventory) };
    }),
    attempt('seccomp', () => {
      const policy = generateSeccomp(target);
      if (!policy.seccomp) throw new Error('the generator returned no seccomp profile');
      const name = policy.objects[0]?.metadata.name ?? `${target.workload} seccomp`;
      return { policy, replay: replaySeccomp(policy.seccomp, target.workload, name, events, inventory) };
    }),
    attempt('rbac', () => {
      const policy = generateRbac(target);
      return { policy, replay: replayRbac(policy.objects, events) };
    }),
  ];
}
