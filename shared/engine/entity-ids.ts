// Entity ids and labels, in one place so the graph, detectors, stories and the AI-BOM name things the same way.
import type { EntityKind, EntityRef } from '../model/entity.js';
import { baseName } from './observed-names.js';

export const entityId = {
  workload: (workload: string) => `workload:${workload}`,
  process: (workload: string, exe: string) => `process:${workload}|${exe}`,
  agent: (workload: string) => `agent:${workload}`,
  tool: (workload: string, name: string) => `tool:${workload}|${name}`,
  mcpServer: (workload: string) => `tool:mcp:${workload}`,
  api: (host: string, port?: number) => (port === undefined ? `api:${host}` : `api:${host}:${port}`),
  file: (path: string) => `data:file:${path}`,
  kubeObject: (resource: string, namespace: string | undefined, name: string | undefined) =>
    `data:k8s:${resource}/${namespace ?? '*'}/${name ?? '*'}`,
  model: (name: string) => `data:model:${name}`,
  identity: (user: string) => `identity:${user}`,
};

export const KUBERNETES_API_ENTITY = 'api:kubernetes';

export function ref(kind: EntityKind, id: string, label: string): EntityRef {
  return { kind, id, label };
}

export function workloadRef(workload: string): EntityRef {
  return ref('workload', entityId.workload(workload), workload);
}

export function processRef(workload: string, exe: string): EntityRef {
  return ref('process', entityId.process(workload, exe), baseName(exe));
}

export function identityRef(user: string): EntityRef {
  const short = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user);
  return ref('identity', entityId.identity(user), short ? `service account ${short[1]}/${short[2]}` : user);
}

export function fileRef(path: string): EntityRef {
  return ref('data', entityId.file(path), path);
}

const ENTITY_KIND_ORDER: EntityKind[] = ['workload', 'agent', 'tool', 'process', 'api', 'data', 'identity'];

export function compareEntityRefs(a: EntityRef, b: EntityRef): number {
  const k = ENTITY_KIND_ORDER.indexOf(a.kind) - ENTITY_KIND_ORDER.indexOf(b.kind);
  if (k !== 0) return k;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
