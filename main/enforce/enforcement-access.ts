// What this user may do on a workload's ladder, asked of the API server before a control is offered: the workbench
// disables what is not allowed and says why. The exact check happens again, object by object, when the step runs
// (whyNotAllowed in promotion and rollback); these are the permissions every promotion or rollback needs at least.
import { AccessReviewer, type PermissionCheck } from '../kube/access/access-review.js';
import type { EnforcementContext } from './enforcement-context.js';

const NETWORKING = 'networking.k8s.io';
const RBAC = 'rbac.authorization.k8s.io';

export function enforcementPermissions(namespace: string): Record<'audit' | 'promote' | 'rollback', PermissionCheck[]> {
  return {
    audit: [{ verb: 'create', group: NETWORKING, resource: 'networkpolicies', namespace, why: 'run its policies in audit mode and decide on violations (whoever may apply them)' }],
    promote: [
      { verb: 'create', group: NETWORKING, resource: 'networkpolicies', namespace, why: 'apply the evidence-based NetworkPolicy' },
      { verb: 'create', group: RBAC, resource: 'roles', namespace, why: 'create the scoped Role' },
      { verb: 'create', group: RBAC, resource: 'rolebindings', namespace, why: 'bind the scoped Role to the service account' },
      { verb: 'patch', group: RBAC, resource: 'clusterrolebindings', why: 'take the service account out of its broader bindings' },
    ],
    rollback: [
      { verb: 'delete', group: NETWORKING, resource: 'networkpolicies', namespace, why: 'remove the promoted NetworkPolicy' },
      { verb: 'delete', group: RBAC, resource: 'rolebindings', namespace, why: 'remove the scoped binding' },
      { verb: 'patch', group: RBAC, resource: 'clusterrolebindings', why: 'give the service account its earlier bindings back' },
    ],
  };
}

export async function enforcementAccess(ctx: EnforcementContext, namespace: string) {
  const actor = await ctx.whoAmI();
  const reviewer = new AccessReviewer(ctx.client);
  const permissions = enforcementPermissions(namespace);
  const [audit, promote, rollback] = await Promise.all((['audit', 'promote', 'rollback'] as const).map((step) => reviewer.decide(permissions[step], actor.username)));
  const brief = (d: { allowed: boolean; reason: string }) => ({ allowed: d.allowed, reason: d.allowed ? `${actor.username} may do this` : d.reason });
  return { user: actor.username, audit: brief(audit!), promote: brief(promote!), rollback: brief(rollback!) };
}
