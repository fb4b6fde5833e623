// What each planned change needs from RBAC, decided from the objects as they are now (a change with nothing to do
// needs nothing), and whether this user has it — asked of the API server before anything is written. Used by every
// action that changes a cluster: quarantine, release, promotion, rollback.
import type { ChangeSpec } from '../quarantine/object-change.js';
import { readCurrent } from '../quarantine/object-change.js';
import type { KubeClient } from '../kube-client.js';
import { AccessReviewer, type PermissionCheck } from './access-review.js';

export async function permissionsForChanges(client: KubeClient, specs: ChangeSpec[]): Promise<PermissionCheck[]> {
  const checks: PermissionCheck[] = [];
  for (const spec of specs) {
    const desired = spec.desire(await readCurrent(client, spec));
    if (desired.action === 'none') continue;
    checks.push({
      // Updates are sent as merge patches (object-change.ts), so 'patch' is the verb RBAC checks.
      verb: desired.action === 'update' ? 'patch' : desired.action,
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

/** Null when the user may make every change, else the reason in words (what is missing and what it was for). */
export async function whyNotAllowed(client: KubeClient, specs: ChangeSpec[], who: string): Promise<string | null> {
  const decision = await new AccessReviewer(client).decide(await permissionsForChanges(client, specs), who);
  return decision.allowed ? null : decision.reason;
}
