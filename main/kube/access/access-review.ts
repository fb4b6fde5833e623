// Vigil writes updates as JSON merge patches, so 'patch' is the verb it needs for them.
// Before offering an action, ask the API server what this user may do (SelfSubjectAccessReview per permission the
// action needs; SelfSubjectRulesReview for a namespace overview). The app disables a control whose action is not
// allowed and shows `reason`.
import type { KubeClient } from '../kube-client.js';
import { KINDS, type ResourceKind } from '../resource-kinds.js';

export interface PermissionCheck {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Why the action needs it, in words. */
  why: string;
}

export interface CheckResult extends PermissionCheck {
  allowed: boolean;
  /** The authorizer's own reason, when it gave one. */
  serverReason?: string;
}

export interface AccessDecision {
  allowed: boolean;
  /** "allowed" or, when not, every missing permission in words. */
  reason: string;
  checks: CheckResult[];
}

export type VigilAction = 'inventory.read' | 'posture.read' | 'quarantine.soft' | 'quarantine.hard' | 'quarantine.release' | 'node.cordon' | 'owner.scale';

const check = (verb: string, kind: ResourceKind, why: string, namespace?: string, subresource?: string): PermissionCheck => ({
  verb,
  group: kind.group,
  resource: kind.plural,
  ...(subresource ? { subresource } : {}),
  ...(namespace !== undefined && kind.namespaced ? { namespace } : {}),
  why,
});

/** The permissions each action needs, in a namespace (or cluster-wide when none is given). */
export function permissionsFor(action: VigilAction, namespace?: string): PermissionCheck[] {
  switch (action) {
    case 'inventory.read':
      return [check('list', KINDS.Pod, 'list pods', namespace), check('watch', KINDS.Pod, 'watch pods', namespace), check('list', KINDS.Deployment, 'list deployments', namespace)];
    case 'posture.read':
      return [
        check('list', KINDS.ServiceAccount, 'list service accounts', namespace),
        check('list', KINDS.RoleBinding, 'list role bindings'),
        check('list', KINDS.ClusterRoleBinding, 'list cluster role bindings'),
        check('list', KINDS.Role, 'list roles'),
        check('list', KINDS.ClusterRole, 'list cluster roles'),
      ];
    case 'quarantine.soft':
      return [
        check('create', KINDS.NetworkPolicy, 'create the quarantine NetworkPolicy', namespace),
        check('patch', KINDS.NetworkPolicy, 'update the quarantine NetworkPolicy', namespace),
        check('patch', KINDS.Pod, 'label the pod', namespace),
      ];
    case 'quarantine.hard':
      return [
        ...permissionsFor('quarantine.soft', namespace),
        check('delete', KINDS.NetworkPolicy, 'replace a soft quarantine policy', namespace),
        check('patch', KINDS.RoleBinding, "revoke the service account's role bindings"),
        check('patch', KINDS.ClusterRoleBinding, "revoke the service account's cluster role bindings"),
      ];
    case 'quarantine.release':
      return [
        check('delete', KINDS.NetworkPolicy, 'remove the quarantine NetworkPolicy', namespace),
        check('create', KINDS.NetworkPolicy, 'restore a replaced policy', namespace),
        check('patch', KINDS.Pod, 'remove the quarantine labels', namespace),
        check('patch', KINDS.RoleBinding, 'restore revoked role bindings'),
        check('patch', KINDS.ClusterRoleBinding, 'restore revoked cluster role bindings'),
      ];
    case 'node.cordon':
      return [check('patch', KINDS.Node, 'cordon the node')];
    case 'owner.scale':
      return [check('patch', KINDS.Deployment, 'scale the owner deployment', namespace, 'scale'), check('patch', KINDS.StatefulSet, 'scale the owner statefulset', namespace, 'scale')];
  }
}

function checkWords(c: PermissionCheck): string {
  const resource = `${c.resource}${c.subresource ? `/${c.subresource}` : ''}${c.group ? ` (${c.group})` : ''}`;
  const where = c.namespace ? ` in namespace ${c.namespace}` : ' cluster-wide';
  return `${c.verb} ${resource}${c.name ? ` named ${c.name}` : ''}${where}`;
}

interface AccessReviewStatus {
  status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

export class AccessReviewer {
  private readonly cache = new Map<string, Promise<CheckResult>>();

  constructor(private readonly client: KubeClient) {}

  review(permission: PermissionCheck): Promise<CheckResult> {
    const { why: _why, ...attributes } = permission;
    const key = JSON.stringify(attributes);
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.client
        .request<AccessReviewStatus>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
          body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attributes } },
        })
        .then((answer) => ({
          ...permission,
          allowed: answer.status?.allowed === true,
          ...(answer.status?.reason || answer.status?.evaluationError ? { serverReason: answer.status.reason || answer.status.evaluationError } : {}),
        }));
      // A failed review is not cached, so the next call asks again.
      pending.catch(() => this.cache.delete(key));
      this.cache.set(key, pending);
    }
    return pending;
  }

  async decide(checks: PermissionCheck[], who?: string): Promise<AccessDecision> {
    const results = await Promise.all(checks.map((c) => this.review(c)));
    const missing = results.filter((r) => !r.allowed);
    if (missing.length === 0) return { allowed: true, reason: 'allowed', checks: results };
    const subject = who ? `${who} may not` : 'you may not';
    const reason = `not allowed: ${subject} ${missing.map((m) => `${checkWords(m)} (needed to ${m.why})`).join('; ')}`;
    return { allowed: false, reason, checks: results };
  }

  /** The API the app uses to enable or disable a control. */
  allowed(action: VigilAction, namespace?: string, who?: string): Promise<AccessDecision> {
    return this.decide(permissionsFor(action, namespace), who);
  }

  /** Everything the user may do in a namespace, as the API server lists it (may be incomplete with webhooks). */
  async rulesIn(namespace: string): Promise<{ resourceRules: unknown[]; nonResourceRules: unknown[]; incomplete: boolean; evaluationError?: string }> {
    const answer = await this.client.request<{ status?: { resourceRules?: unknown[]; nonResourceRules?: unknown[]; incomplete?: boolean; evaluationError?: string } }>(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
      { body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } } },
    );
    const status = answer.status ?? {};
    return { resourceRules: status.resourceRules ?? [], nonResourceRules: status.nonResourceRules ?? [], incomplete: status.incomplete ?? false, ...(status.evaluationError ? { evaluationError: status.evaluationError } : {}) };
  }
}

export { checkWords };
