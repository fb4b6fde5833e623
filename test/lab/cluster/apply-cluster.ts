// Writes the lab's desired objects into the apiserver, in dependency order, and returns what the pods became
// (uids, container ids). Called on every `lab up`: server-side apply makes a second run a no-op repair.
import { randomBytes } from 'node:crypto';
import { LAB_NODE_NAMES, LAB_PODS, podKey, type LabPodSpec } from '../topology.js';
import { KubeClient, type KubeObject } from './kube-client.js';
import {
  dnsServiceObjects, endpointSliceObject, endpointsObject, labServices, namespaceObjects, nodeObject, nodeStatus,
  ownerObject, ownerStatus, podObject, podStatus, replicaSetObject, replicaSetStatus, rootCaConfigMaps,
  serviceAccountObjects, serviceObject,
} from './objects.js';
import { serviceAccountRbacObjects, userRbacObjects } from './rbac.js';

export interface AppliedPod { spec: LabPodSpec; uid: string; containerId: string; startedAt: string }

interface PodRead { metadata: { uid: string; creationTimestamp?: string }; status?: { containerStatuses?: { containerID?: string; state?: { running?: { startedAt?: string } } }[] } }

export async function applyClusterObjects(client: KubeClient, opts: { caPem: string; kernelVersion: string }): Promise<void> {
  for (const obj of [...namespaceObjects(), ...rootCaConfigMaps(opts.caPem), ...serviceAccountObjects(), ...userRbacObjects(), ...serviceAccountRbacObjects()]) {
    await client.apply(obj);
  }
  const now = new Date().toISOString();
  for (const name of LAB_NODE_NAMES) {
    await client.apply(nodeObject(name));
    await client.apply(nodeStatus(name, opts.kernelVersion, now), 'status');
  }
}

/**
 * Creates each pod with its controller chain and returns uid and container id. A pod that already has a running
 * container keeps its container id (the cgroup on disk is named after it).
 */
export async function applyPods(client: KubeClient): Promise<AppliedPod[]> {
  const applied: AppliedPod[] = [];
  for (const spec of LAB_PODS) {
    const ownerDesired = ownerObject(spec);
    const owner = ownerDesired ? await client.apply(ownerDesired) : null;
    const controller = owner && spec.owner.kind === 'Deployment' ? await client.apply(replicaSetObject(spec, owner)) : owner;
    const pod = await client.apply(podObject(spec, controller)) as KubeObject & PodRead;
    const existing = pod.status?.containerStatuses?.[0];
    const existingId = existing?.containerID?.replace(/^containerd:\/\//, '');
    const containerId = existingId && /^[0-9a-f]{64}$/.test(existingId) ? existingId : randomBytes(32).toString('hex');
    const startedAt = existing?.state?.running?.startedAt ?? new Date().toISOString();
    if (!pod.metadata.uid) throw new Error(`the apiserver returned pod ${podKey(spec)} without a uid`);
    applied.push({ spec, uid: pod.metadata.uid, containerId, startedAt });
  }
  return applied;
}

/** Marks pods Running with their container ids, their controllers ready, and publishes service endpoints. */
export async function applyPodStatusAndServices(client: KubeClient, pods: AppliedPod[]): Promise<void> {
  for (const pod of pods) {
    await client.apply(podStatus(pod.spec, pod.containerId, pod.startedAt), 'status');
    if (pod.spec.owner.kind === 'Deployment') await client.apply(replicaSetStatus(pod.spec), 'status');
    const owner = ownerStatus(pod.spec);
    if (owner) await client.apply(owner, 'status');
  }
  for (const obj of dnsServiceObjects()) await client.apply(obj);
  for (const svc of labServices()) {
    const uid = pods.find((p) => p.spec === svc.pod)?.uid;
    if (!uid) throw new Error(`service ${svc.namespace}/${svc.name} has no applied pod`);
    await client.apply(serviceObject(svc));
    await client.apply(endpointsObject(svc, uid));
    await client.apply(endpointSliceObject(svc, uid));
  }
}

/** A fresh service-account token bound to the pod, from the TokenRequest API. */
export async function requestPodToken(client: KubeClient, pod: AppliedPod, expirationSeconds = 48 * 3600): Promise<string> {
  const { namespace, serviceAccount, name } = pod.spec;
  const res = await client.json<{ status: { token: string } }>('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`, {
    apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
    spec: { expirationSeconds, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name, uid: pod.uid } },
  });
  return res.status.token;
}
