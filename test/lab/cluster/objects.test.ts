import { describe, expect, it } from 'vitest';
import { LAB_PODS, SERVICE_CIDR, KUBERNETES_SERVICE_IP, DNS_SERVICE_IP } from '../topology.js';
import { labServices, ownerObject, podObject, podStatus, replicaSetObject, replicaSetOf, AI_ROLE_ANNOTATION } from './objects.js';
import type { KubeObject } from './kube-client.js';

const pod = (name: string) => {
  const found = LAB_PODS.find((p) => p.name.startsWith(name));
  if (!found) throw new Error(`no topology pod ${name}`);
  return found;
};

describe('lab Kubernetes objects', () => {
  it('derives the ReplicaSet and pod-template-hash from a Deployment pod name', () => {
    expect(replicaSetOf(pod('research-agent'))).toEqual({ name: 'research-agent-7c9f6d5b8', templateHash: '7c9f6d5b8' });
  });

  it('chains Deployment -> ReplicaSet -> Pod ownerReferences with uids', () => {
    const spec = pod('research-agent');
    const deployment = { ...(ownerObject(spec) as KubeObject), metadata: { name: 'research-agent', namespace: 'agents', uid: 'd-uid' } };
    const rs = replicaSetObject(spec, deployment);
    expect((rs.metadata.ownerReferences as { kind: string; uid: string }[])[0]).toMatchObject({ kind: 'Deployment', uid: 'd-uid' });
    const p = podObject(spec, { ...rs, metadata: { ...rs.metadata, uid: 'rs-uid' } });
    expect((p.metadata.ownerReferences as { kind: string; name: string }[])[0]).toMatchObject({ kind: 'ReplicaSet', name: 'research-agent-7c9f6d5b8' });
    expect((p.metadata.labels as Record<string, string>)['pod-template-hash']).toBe('7c9f6d5b8');
    expect((p.metadata.annotations as Record<string, string>)[AI_ROLE_ANNOTATION]).toBe('agent');
  });

  it('gives requests equal to limits only to guaranteed pods, so the apiserver computes the topology QoS', () => {
    const containers = (spec: typeof LAB_PODS[number]) => (podObject(spec, null).spec as { containers: { resources: { requests?: object; limits?: object } }[] }).containers;
    expect(containers(pod('payments-api'))[0]?.resources.requests).toEqual(containers(pod('payments-api'))[0]?.resources.limits);
    expect(containers(pod('notebook'))[0]?.resources).toEqual({});
  });

  it('reports containerd:// container ids and the pod IP in the status', () => {
    const status = podStatus(pod('mcp-files'), 'b'.repeat(64), '2026-01-01T00:00:00Z').status as { podIP: string; containerStatuses: { containerID: string }[] };
    expect(status.podIP).toBe('10.244.0.21');
    expect(status.containerStatuses[0]?.containerID).toBe(`containerd://${'b'.repeat(64)}`);
  });

  it('assigns distinct ClusterIPs inside SERVICE_CIDR that avoid the kubernetes and DNS services', () => {
    const ips = labServices().map((s) => s.clusterIp);
    expect(new Set(ips).size).toBe(ips.length);
    const prefix = SERVICE_CIDR.split('.').slice(0, 3).join('.') + '.';
    for (const ip of ips) {
      expect(ip.startsWith(prefix)).toBe(true);
      expect([KUBERNETES_SERVICE_IP, DNS_SERVICE_IP]).not.toContain(ip);
    }
  });
});
