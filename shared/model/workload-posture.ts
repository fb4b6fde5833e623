// Declared versus observed, per workload, as the engine derives it from a baseline: what the workload may do
// (NetworkPolicies, RBAC, seccomp) against what it did, and its blast radius — reachable services, secrets and
// identities — under the current policies and under Vigil's generated ones.

export interface BlastRadius {
  reachableServices: number;
  /** Whether an arbitrary internet address is reachable (egress not restricted). */
  internetReachable: boolean;
  readableSecrets: number;
  /** Identities it holds or can obtain (its own service account, tokens it may create, users it may impersonate). */
  identities: number;
}

export interface WorkloadPosture {
  workload: string;
  pod: string | null;
  baselineState: 'learning' | 'ready';
  network: {
    /** Services in the inventory it may reach now, and the destinations it actually used. */
    reachableServices: string[];
    usedDestinations: string[];
    egressRestricted: boolean;
    ingressRestricted: boolean;
  };
  rbac: {
    serviceAccount: string | null;
    granted: string[];
    used: string[];
    /** Granted permissions never used during the baseline. */
    unused: string[];
  };
  syscalls: { seccompProfile: string; used: string[] };
  files: { sensitiveReads: string[] };
  blastRadius: { current: BlastRadius; withGeneratedPolicies: BlastRadius };
}
