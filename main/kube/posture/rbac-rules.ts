// RBAC rule semantics, as the API server's authorizer applies them (k8s.io/component-helpers/auth/rbac/validation):
// verbs, API groups and resources match exactly or by '*'; "pods/*" matches every subresource of pods and "*/scale"
// the scale subresource of every resource; resourceNames, when set, limit the rule to those names; nonResourceURLs
// match exactly or by a trailing '*' prefix. Pure: no Node API, no client-node, so it can move to shared/.

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface ApiRequest {
  verb: string;
  apiGroup: string;
  /** "pods" or "pods/exec". */
  resource: string;
  name?: string;
  /** For non-resource requests. */
  path?: string;
}

const has = (list: string[] | undefined, value: string) => !!list && (list.includes('*') || list.includes(value));

function resourceMatches(rule: PolicyRule, resource: string): boolean {
  const resources = rule.resources ?? [];
  if (resources.includes('*') || resources.includes(resource)) return true;
  const slash = resource.indexOf('/');
  if (slash < 0) return false;
  const main = resource.slice(0, slash);
  const sub = resource.slice(slash + 1);
  return resources.includes(`${main}/*`) || resources.includes(`*/${sub}`);
}

export function ruleAllows(rule: PolicyRule, request: ApiRequest): boolean {
  if (!has(rule.verbs, request.verb)) return false;
  if (request.path !== undefined && request.resource === '') {
    return (rule.nonResourceURLs ?? []).some((url) => url === '*' || url === request.path || (url.endsWith('*') && request.path!.startsWith(url.slice(0, -1))));
  }
  if (!has(rule.apiGroups, request.apiGroup)) return false;
  if (!resourceMatches(rule, request.resource)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (request.name !== undefined && names.includes(request.name));
}

/** Label selector semantics (In, NotIn, Exists, DoesNotExist); an empty selector matches everything. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const own = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (own[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const present = Object.hasOwn(own, expression.key);
    const value = own[expression.key];
    switch (expression.operator) {
      case 'In':
        if (!present || !(expression.values ?? []).includes(value!)) return false;
        break;
      case 'NotIn':
        if (present && (expression.values ?? []).includes(value!)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Rules that grant anything on secrets, any wildcard, or privilege-escalating verbs and subresources. */
export function ruleIsRisky(rule: PolicyRule): boolean {
  const verbs = rule.verbs ?? [];
  const resources = rule.resources ?? [];
  if (verbs.includes('*') || resources.includes('*') || (rule.apiGroups ?? []).includes('*')) return true;
  if (verbs.some((v) => ['escalate', 'bind', 'impersonate'].includes(v))) return true;
  if (resources.some((r) => r === 'secrets' || r === 'pods/exec' || r === 'pods/attach' || r === 'serviceaccounts/token' || r === 'nodes/proxy')) return true;
  return resources.some((r) => ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'].includes(r)) && verbs.some((v) => ['create', 'update', 'patch'].includes(v));
}
