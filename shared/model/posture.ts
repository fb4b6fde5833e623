// RBAC posture: what each service account is allowed to do, next to what it was seen doing.

export interface SubjectRef {
  kind: 'ServiceAccount' | 'User' | 'Group';
  name: string;
  namespace?: string;
}

/** One RBAC rule as granted to a service account, with where it is granted and through what. */
export interface PermissionGrant {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
  /** Namespace the grant applies in; absent for a cluster-wide grant (ClusterRoleBinding). */
  namespace?: string;
  via: {
    binding: { kind: 'RoleBinding' | 'ClusterRoleBinding'; name: string; namespace?: string };
    role: { kind: 'Role' | 'ClusterRole'; name: string };
    /** The binding's subject that names this service account: itself, its User name, or a group it is in. */
    subject: SubjectRef;
    /** ClusterRoles whose rules an aggregated ClusterRole took this rule from. */
    aggregatedFrom?: string[];
  };
}

/** A Kubernetes API call attributed to a service account (from the audit log or the collector). */
export interface ObservedApiCall {
  verb: string;
  apiGroup: string;
  /** Resource, with "/subresource" when there is one (pods/exec). Empty for a non-resource URL. */
  resource: string;
  namespace?: string;
  name?: string;
  /** For non-resource requests (/healthz, /version). */
  path?: string;
  responseCode?: number;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

export interface GrantUse {
  /** "can list, watch secrets cluster-wide" */
  words: string;
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
  namespace?: string;
  via: PermissionGrant['via'][];
  /** Verbs of this grant that some observed call used. */
  usedVerbs: string[];
  /** Verbs of this grant that nothing observed used. */
  unusedVerbs: string[];
  /** Set when the grant is wider than its use ("cluster-wide, but used only in namespace agents"). */
  narrowerUse?: string;
  /** Shared with other identities through a group binding: revoking it per service account is not possible. */
  viaGroupOnly: boolean;
  risky: boolean;
}

export interface ServiceAccountPosture {
  namespace: string;
  name: string;
  /** Pods running as this service account. */
  pods: string[];
  grants: GrantUse[];
  /** "get configmaps in its own namespace" for each kind of observed call that was allowed. */
  used: string[];
  /** Calls the API server refused (403): attempts beyond the grants. */
  denied: string[];
  /** "can list secrets cluster-wide" for each grant (or part of one) nothing observed used. */
  unused: string[];
  /** One line: "can list secrets cluster-wide; used: get configmaps in its own namespace". */
  summary: string;
  /** Observed calls from this service account that no grant seems to cover (RBAC read incompletely?). */
  unexplained: string[];
}

export interface PostureReport {
  clusterId: string;
  context: string;
  generatedAt: string;
  /** Where observed use came from, and the time span it covers. */
  observation: { sources: string[]; calls: number; from?: string; to?: string };
  /** Bindings left out as platform defaults (discovery roles bound to every authenticated user). */
  defaultsExcluded: string[];
  serviceAccounts: ServiceAccountPosture[];
  /** Kinds Vigil could not read (forbidden), so the posture may be incomplete. */
  incomplete: string[];
}
