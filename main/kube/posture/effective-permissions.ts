// Effective permissions of a service account: every RoleBinding and ClusterRoleBinding whose subjects include it
// (by ServiceAccount, by its User name system:serviceaccount:NS:NAME, or by one of its groups), resolved to the
// rules of the bound Role or ClusterRole — with aggregated ClusterRoles' rules computed from their aggregationRule,
// since a cluster without a controller manager (or a snapshot taken before it ran) has not filled them in yet.
// Pure: no Node API, no client-node.
import type { KubeObject } from '../../../shared/model/inventory.js';
import type { PermissionGrant, SubjectRef } from '../../../shared/model/posture.js';
import { selectorMatches, type LabelSelector, type PolicyRule } from './rbac-rules.js';

export interface RbacObjects {
  roles: KubeObject[];
  clusterRoles: KubeObject[];
  roleBindings: KubeObject[];
  clusterRoleBindings: KubeObject[];
}

interface Binding extends KubeObject {
  roleRef?: { kind?: string; name?: string };
  subjects?: { kind?: string; name?: string; namespace?: string }[];
}
interface RoleObject extends KubeObject {
  rules?: PolicyRule[];
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] };
}

export interface ResolvedRules {
  rules: { rule: PolicyRule; from?: string }[];
}

/** Rules of every ClusterRole, with aggregation applied (nested aggregation too; cycles are cut). */
export function clusterRoleRules(clusterRoles: KubeObject[]): Map<string, ResolvedRules> {
  const byName = new Map((clusterRoles as RoleObject[]).map((role) => [role.metadata.name, role]));
  const resolved = new Map<string, ResolvedRules>();
  const resolve = (name: string, visiting: Set<string>): ResolvedRules => {
    const done = resolved.get(name);
    if (done) return done;
    const role = byName.get(name);
    if (!role) return { rules: [] };
    const rules: ResolvedRules['rules'] = (role.rules ?? []).map((rule) => ({ rule }));
    const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
    if (selectors.length > 0) {
      visiting.add(name);
      const seen = new Set(rules.map((r) => JSON.stringify(r.rule)));
      for (const other of byName.values()) {
        const otherName = other.metadata.name;
        if (otherName === name || visiting.has(otherName)) continue;
        if (!selectors.some((selector) => selectorMatches(selector, other.metadata.labels))) continue;
        for (const inherited of resolve(otherName, visiting).rules) {
          const key = JSON.stringify(inherited.rule);
          if (seen.has(key)) continue;
          seen.add(key);
          rules.push({ rule: inherited.rule, from: inherited.from ?? otherName });
        }
      }
      visiting.delete(name);
    }
    const result = { rules };
    resolved.set(name, result);
    return result;
  };
  for (const name of byName.keys()) resolve(name, new Set());
  return resolved;
}

/** The groups the API server puts a service account's token in. */
export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'];
}

export function serviceAccountUserName(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The subject of `binding` that names this service account, if any. */
export function subjectNaming(binding: KubeObject, namespace: string, name: string): SubjectRef | undefined {
  const groups = serviceAccountGroups(namespace);
  for (const subject of (binding as Binding).subjects ?? []) {
    if (subject.kind === 'ServiceAccount' && subject.name === name && (subject.namespace ?? binding.metadata.namespace) === namespace) {
      return { kind: 'ServiceAccount', name, namespace };
    }
    if (subject.kind === 'User' && subject.name === serviceAccountUserName(namespace, name)) return { kind: 'User', name: subject.name };
    if (subject.kind === 'Group' && subject.name && groups.includes(subject.name)) return { kind: 'Group', name: subject.name };
  }
  return undefined;
}

export class EffectivePermissions {
  private readonly clusterRules: Map<string, ResolvedRules>;
  private readonly roles: Map<string, RoleObject>;

  constructor(private readonly objects: RbacObjects) {
    this.clusterRules = clusterRoleRules(objects.clusterRoles);
    this.roles = new Map((objects.roles as RoleObject[]).map((role) => [`${role.metadata.namespace}/${role.metadata.name}`, role]));
  }

  private rulesOf(roleRef: Binding['roleRef'], bindingNamespace?: string): ResolvedRules | undefined {
    if (!roleRef?.name) return undefined;
    if (roleRef.kind === 'ClusterRole') return this.clusterRules.get(roleRef.name);
    if (roleRef.kind === 'Role' && bindingNamespace) {
      const role = this.roles.get(`${bindingNamespace}/${roleRef.name}`);
      return role ? { rules: (role.rules ?? []).map((rule) => ({ rule })) } : undefined;
    }
    return undefined;
  }

  /** Every rule granted to the service account, one PermissionGrant per rule and binding. */
  grantsOf(namespace: string, name: string): PermissionGrant[] {
    const grants: PermissionGrant[] = [];
    const collect = (binding: Binding, kind: 'RoleBinding' | 'ClusterRoleBinding') => {
      const subject = subjectNaming(binding, namespace, name);
      if (!subject) return;
      const bindingNamespace = kind === 'RoleBinding' ? binding.metadata.namespace : undefined;
      const resolved = this.rulesOf(binding.roleRef, bindingNamespace);
      if (!resolved) return;
      for (const { rule, from } of resolved.rules) {
        grants.push({
          verbs: rule.verbs ?? [],
          apiGroups: rule.apiGroups ?? [],
          resources: rule.resources ?? [],
          resourceNames: rule.resourceNames ?? [],
          nonResourceURLs: rule.nonResourceURLs ?? [],
          ...(bindingNamespace ? { namespace: bindingNamespace } : {}),
          via: {
            binding: { kind, name: binding.metadata.name, ...(bindingNamespace ? { namespace: bindingNamespace } : {}) },
            role: { kind: binding.roleRef?.kind === 'Role' ? 'Role' : 'ClusterRole', name: binding.roleRef!.name! },
            subject,
            ...(from ? { aggregatedFrom: [from] } : {}),
          },
        });
      }
    };
    for (const binding of this.objects.roleBindings) collect(binding as Binding, 'RoleBinding');
    for (const binding of this.objects.clusterRoleBindings) collect(binding as Binding, 'ClusterRoleBinding');
    return grants;
  }
}
