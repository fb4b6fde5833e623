// The posture of a live cluster: lists its RBAC objects, service accounts and pods, reads the given audit logs
// (service-account calls only) and the collectors' events (API server requests and connections of pods), and
// computes each service account's grants next to its observed use, each use with where it was seen.
import type { RuntimeEvent } from '../../../shared/model/event.js';
import type { KubeObject } from '../../../shared/model/inventory.js';
import type { PostureReport } from '../../../shared/model/posture.js';
import { ClusterInventory } from '../cluster-inventory.js';
import type { KubeClient } from '../kube-client.js';
import { KINDS } from '../resource-kinds.js';
import { readAuditLog } from './audit-log-file.js';
import type { AuditEvent } from './audit-events.js';
import { computePosture } from './rbac-posture.js';
import { apiServerAddresses, collectorApiView } from './collector-api-calls.js';

export interface ClusterPostureOptions {
  clusterId: string;
  namespace?: string;
  auditLogs: string[];
  /** Events of collectors (only net.connect and http.request are used), each set named for the report's sources. */
  collectorEvents?: { source: string; events: RuntimeEvent[] }[];
}

async function optionalObject(client: KubeClient, path: string): Promise<KubeObject | undefined> {
  return client.request<KubeObject>('GET', path).catch(() => undefined);
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
  const sources = [...options.auditLogs];
  let apiConnections: Map<string, number> | undefined;
  if (options.collectorEvents?.length) {
    const addresses = apiServerAddresses(
      client.server,
      await optionalObject(client, '/api/v1/namespaces/default/services/kubernetes'),
      await optionalObject(client, '/api/v1/namespaces/default/endpoints/kubernetes'),
    );
    apiConnections = new Map();
    for (const { source, events } of options.collectorEvents) {
      const view = collectorApiView(events, inventory.objectsOf('Pod'), addresses);
      calls.push(...view.calls);
      for (const [user, count] of view.connections) apiConnections.set(user, (apiConnections.get(user) ?? 0) + count);
      sources.push(`${source}: ${view.calls.length} API requests decoded, ${[...view.connections.values()].reduce((a, b) => a + b, 0)} connections to the API server from pods`);
    }
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
    ...(apiConnections ? { apiConnections } : {}),
    sources,
    namespace: options.namespace,
    incomplete,
  });
}
