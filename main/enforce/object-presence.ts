// "This object exists exactly as planned" as a change the kube gateway can dry-run, apply, read back and undo, for
// the kinds a promotion writes: NetworkPolicy, Role/ClusterRole and their bindings, SeccompProfile.
import type { KubeObject } from '../../shared/model/inventory.js';
import { KINDS, type ResourceKind } from '../kube/resource-kinds.js';
import type { ChangeSpec, Desired } from '../kube/quarantine/object-change.js';
import { sameJson } from '../kube/quarantine/quarantine-objects.js';

/** security-profiles-operator's SeccompProfile, present only where the operator's CRD is installed. */
export const SECCOMP_PROFILE_KIND: ResourceKind = { kind: 'SeccompProfile', group: 'security-profiles-operator.x-k8s.io', version: 'v1beta1', plural: 'seccompprofiles', namespaced: true };

const kindsByName: Record<string, ResourceKind> = {
  NetworkPolicy: KINDS.NetworkPolicy,
  Role: KINDS.Role,
  ClusterRole: KINDS.ClusterRole,
  RoleBinding: KINDS.RoleBinding,
  ClusterRoleBinding: KINDS.ClusterRoleBinding,
  SeccompProfile: SECCOMP_PROFILE_KIND,
};

/** The fields that carry an object's meaning, per kind (metadata aside). */
const payloadFields = (object: KubeObject): Record<string, unknown> => {
  const { apiVersion: _a, kind: _k, metadata: _m, status: _s, ...rest } = object as KubeObject & Record<string, unknown>;
  return rest;
};

export function resourceKindOf(object: KubeObject): ResourceKind {
  const kind = kindsByName[object.kind];
  if (!kind) throw new Error(`Vigil does not write ${object.kind} objects during enforcement`);
  return kind;
}

export function objectPresentSpec(object: KubeObject, purpose: string): ChangeSpec {
  const kind = resourceKindOf(object);
  return {
    kind,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
    purpose,
    desire(current): Desired {
      if (!current) return { action: 'create', object };
      const labels = { ...(current.metadata.labels ?? {}), ...(object.metadata.labels ?? {}) };
      const annotations = { ...(current.metadata.annotations ?? {}), ...(object.metadata.annotations ?? {}) };
      const samePayload = sameJson(payloadFields(current), { ...payloadFields(current), ...payloadFields(object) });
      if (samePayload && sameJson(labels, current.metadata.labels ?? {}) && sameJson(annotations, current.metadata.annotations ?? {})) return { action: 'none' };
      return { action: 'update', object: { ...current, ...payloadFields(object), metadata: { ...current.metadata, labels, annotations } } };
    },
  };
}
