// Before a promotion or rollback writes anything: ask the API server whether this user may make each change
// (SelfSubjectAccessReview), judged from the objects as they are now — a change with nothing to do needs nothing.
import type { PermissionCheck } from '../kube/access/access-review.js';
import { AccessReviewer } from '../kube/access/access-review.js';
import type { KubeClient } from '../kube/kube-client.js';
import { readCurrent, type ChangeSpec } from '../kube/quarantine/object-change.js';

export async function permissionsForChanges(client: KubeClient, specs: ChangeSpec[]): Promise<PermissionCheck[]> {
  const checks: PermissionCheck[] = [];
  for (const spec of specs) {
    const desired = spec.desire(await readCurrent(client, spec));
    if (desired.action === 'none') continue;
    checks.push({
      verb: desired.action,
      group: spec.kind.group,
      resource: spec.kind.plural,
      ...(spec.subresource ? { subresource: spec.subresource } : {}),
      ...(spec.namespace ? { namespace: spec.namespace } : {}),
      ...(desired.action === 'create' ? {} : { name: spec.name }),
      why: spec.purpose,
    });
  }
  return checks;
}

export async function whyNotAllowed(client: KubeClient, specs: ChangeSpec[], who: string): Promise<string | null> {
  const decision = await new AccessReviewer(client).decide(await permissionsForChanges(client, specs), who);
  return decision.allowed ? null : decision.reason;
}
