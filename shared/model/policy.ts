// Policies Vigil generates from observed behaviour, and what replaying a proposed policy over history found.
import type { KubeObject } from './inventory.js';

export type PolicyKind = 'networkpolicy' | 'seccomp' | 'rbac';

/** A plain seccomp profile as runc/containerd read it (the `localhost/` profile format). */
export interface SeccompProfileJson {
  defaultAction: 'SCMP_ACT_ERRNO' | 'SCMP_ACT_LOG' | 'SCMP_ACT_KILL_PROCESS';
  architectures: string[];
  syscalls: { names: string[]; action: 'SCMP_ACT_ALLOW' }[];
}

export interface GeneratedPolicy {
  kind: PolicyKind;
  /** Target pod (`namespace/name`) and its workload (`namespace/owner`). */
  pod: string;
  workload: string;
  /** Kubernetes objects (NetworkPolicy, SeccompProfile, Role/RoleBinding...) ready for a server-side dry run. */
  objects: KubeObject[];
  /** The plain seccomp JSON when kind is seccomp. */
  seccomp?: SeccompProfileJson;
  /** Why each rule is there: rule text → ids of a few events that justify it. */
  justification: { rule: string; eventIds: string[] }[];
  /** Notes the user must read (e.g. "baseline still learning"). */
  warnings: string[];
}

export interface ReplayBlock {
  eventId: string;
  time: string;
  pod: string | null;
  /** What would have been refused, in plain words: `egress tcp 203.0.113.66:443`, `syscall ptrace`, `list secrets`. */
  what: string;
  /** The policy object(s) whose selection made it refused. */
  policy: string;
}

export interface ReplayResult {
  policy: string;
  kind: PolicyKind;
  /** Events the policy applies to (selected pods' traffic, the subject's API calls, the workload's syscalls). */
  eventsConsidered: number;
  blocked: ReplayBlock[];
}
