// The posture of a live cluster: lists its RBAC objects, service accounts and pods, reads the given audit logs
// (service-account calls only), and computes each service account's grants next to its observed use.
import type { PostureReport } from '../../../shared/model/posture.js';
import { ClusterInventory } from '../cluster-inventory.js';
import type { KubeClient } from '../kube-client.js';
import { KINDS } from '../resource-kinds.js';
import { readAuditLog } from './audit-log-file.js';
import type { AuditEvent } from './audit-events.js';
import { computePosture } from './rbac-posture.js';

export interface ClusterPostureOptions {
  clusterId: string;
  namespace?: string;
  auditLogs: string[];
}

export async function clusterPosture(client: KubeClient, options: ClusterPostureOptions): Promise<PostureReport> {
  const inventory = new ClusterInventory(client, {
    clusterId: options.clusterId,
    kinds: [KINDS.ServiceAccount, KINDS.Pod, KINDS.Role, KINDS.ClusterRole, KINDS.RoleBinding, KINDS.ClusterRoleBinding],
    watch: false,
  });
  await inventory.start();
  const incomplete = inventory.coverage().filter((c) => c.state === 'forbidden').map((c) => `${c.kind}: ${c.error ?? 'forbidden'}`);
  const calls: AuditEvent[] = [];
  for (const file of options.auditLogs) {
    const read = await readAuditLog(file, (event) => event.details.user.startsWith('system:serviceaccount:'));
    calls.push(...read.events);
  }
  return computePosture({
    clusterId: options.clusterId,
    context: client.contextName,
    rbac: {
      roles: inventory.objectsOf('Role'),
      clusterRoles: inventory.objectsOf('ClusterRole'),
      roleBindings: inventory.objectsOf('RoleBinding'),
      clusterRoleBindings: inventory.objectsOf('ClusterRoleBinding'),
    },
    serviceAccounts: inventory.objectsOf('ServiceAccount'),
    pods: inventory.objectsOf('Pod'),
    calls,
    sources: options.auditLogs,
    namespace: options.namespace,
    incomplete,
  });
}
