import { describe, expect, it } from 'vitest';
import type { ObjectChange } from '../../../shared/model/action.js';
import type { KubeObject } from '../../../shared/model/inventory.js';
import { policiesStillAllowing } from './policy-analysis.js';
import { hardPolicy, podLabelSpec, podSelectorValue, policyPresentSpec, revokeSubjectSpec, softPolicy } from './quarantine-objects.js';
import { undoSpec } from './undo.js';

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'research-agent-7c9f6d5b8-x2k4p', namespace: 'agents', uid: 'u1', labels: { app: 'research-agent' } } };

describe('quarantine objects', () => {
  it('builds a soft policy allowing DNS and the baseline peers only', () => {
    const policy = softPolicy(pod, [{ cidr: '203.0.113.10/32', ports: [{ protocol: 'TCP', port: 443 }] }, { namespace: 'mcp', podLabels: { app: 'mcp-files' } }], undefined);
    expect(policy.metadata.name).toBe('vigil-quarantine-soft-research-agent-7c9f6d5b8-x2k4p');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'vigil.dev/quarantine-pod': 'research-agent-7c9f6d5b8-x2k4p' } },
      policyTypes: ['Egress'],
      egress: [
        { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
        { to: [{ ipBlock: { cidr: '203.0.113.10/32' } }], ports: [{ protocol: 'TCP', port: 443 }] },
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'mcp' } }, podSelector: { matchLabels: { app: 'mcp-files' } } }] },
      ],
    });
    expect(hardPolicy(pod).spec).toEqual({ podSelector: { matchLabels: { 'vigil.dev/quarantine-pod': 'research-agent-7c9f6d5b8-x2k4p' } }, policyTypes: ['Ingress', 'Egress'] });
  });

  it('selects by a hash when the pod name is not a valid label value', () => {
    const long = { ...pod, metadata: { ...pod.metadata, name: 'x'.repeat(70) } };
    expect(podSelectorValue(long)).toMatch(/^h-[0-9a-f]{40}$/);
  });

  it('decides from the object as it is: nothing to do the second time', () => {
    const spec = podLabelSpec(pod, 'soft');
    const first = spec.desire(pod);
    expect(first.action).toBe('update');
    const labelled = (first as { object: KubeObject }).object;
    expect(labelled.metadata.labels).toEqual({ app: 'research-agent', 'vigil.dev/quarantine': 'soft', 'vigil.dev/quarantine-pod': 'research-agent-7c9f6d5b8-x2k4p' });
    expect(spec.desire(labelled)).toEqual({ action: 'none' });
    expect(() => spec.desire({ ...pod, metadata: { ...pod.metadata, uid: 'other' } })).toThrow(/replaced/);
    const policy = hardPolicy(pod);
    const policySpec = policyPresentSpec(policy, 'x');
    expect(policySpec.desire(null).action).toBe('create');
    // The server returns the fields in its own order and adds its own metadata: still the same policy.
    const fromServer = { ...policy, metadata: { ...policy.metadata, uid: 'p', resourceVersion: '5' }, spec: { policyTypes: ['Ingress', 'Egress'], podSelector: (policy.spec as { podSelector: unknown }).podSelector } };
    expect(policySpec.desire(fromServer)).toEqual({ action: 'none' });
  });

  it('revokes only the service account subjects of a binding, and undo puts back only those', () => {
    const binding: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'readers' },
      subjects: [
        { kind: 'ServiceAccount', name: 'research-agent', namespace: 'agents' },
        { kind: 'User', name: 'system:serviceaccount:agents:research-agent' },
        { kind: 'ServiceAccount', name: 'other', namespace: 'agents' },
      ],
    };
    const revoked = (revokeSubjectSpec(binding, 'agents', 'research-agent').desire(binding) as { object: KubeObject }).object;
    expect(revoked.subjects).toEqual([{ kind: 'ServiceAccount', name: 'other', namespace: 'agents' }]);
    const change: ObjectChange = { op: 'update', apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'readers', purpose: 'p', before: binding, after: revoked, status: 'applied' };
    // Meanwhile someone else added a subject: the undo keeps it.
    const now = { ...revoked, subjects: [...(revoked.subjects as object[]), { kind: 'Group', name: 'ops' }] };
    const restored = (undoSpec(change).desire(now) as { object: KubeObject }).object;
    expect(restored.subjects).toEqual([{ kind: 'ServiceAccount', name: 'other', namespace: 'agents' }, { kind: 'Group', name: 'ops' }, (binding.subjects as object[])[0], (binding.subjects as object[])[1]]);
    expect(undoSpec(change).desire(restored)).toEqual({ action: 'none' });
  });

  it('undoes pod labels key by key, keeping labels others set meanwhile', () => {
    const before = { ...pod, metadata: { ...pod.metadata, labels: { app: 'research-agent', 'vigil.dev/quarantine': 'soft', 'vigil.dev/quarantine-pod': 'p' } } };
    const after = { ...pod, metadata: { ...pod.metadata, labels: { app: 'research-agent', 'vigil.dev/quarantine': 'hard', 'vigil.dev/quarantine-pod': 'p' } } };
    const change: ObjectChange = { op: 'update', apiVersion: 'v1', kind: 'Pod', namespace: 'agents', name: pod.metadata.name, purpose: 'p', before, after, status: 'applied' };
    const now = { ...after, metadata: { ...after.metadata, labels: { ...after.metadata.labels, team: 'ml' } } };
    const reverted = (undoSpec(change).desire(now) as { object: KubeObject }).object;
    expect(reverted.metadata.labels).toEqual({ app: 'research-agent', 'vigil.dev/quarantine': 'soft', 'vigil.dev/quarantine-pod': 'p', team: 'ml' });
  });
});

describe('policies still allowing traffic', () => {
  it('names other policies selecting the pod and what they allow, ignoring Vigil\'s and unrelated ones', () => {
    const policies: KubeObject[] = [
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-web', namespace: 'agents' }, spec: { podSelector: { matchLabels: { app: 'research-agent' } }, ingress: [{ ports: [{ protocol: 'TCP', port: 8080 }] }] } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'egress-all', namespace: 'agents' }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'other-app', namespace: 'agents' }, spec: { podSelector: { matchLabels: { app: 'x' } }, ingress: [{}] } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'agents' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
      hardPolicy(pod),
    ];
    const found = policiesStillAllowing(pod, policies);
    expect(found.map((p) => p.name)).toEqual(['allow-web', 'egress-all']);
    expect(found[0]!.words).toBe("NetworkPolicy agents/allow-web selects the pod and still allows ingress from anywhere on 8080/TCP (policies are additive: Vigil's policy does not override it)");
    expect(found[1]!.egress).toEqual(['to 0.0.0.0/0']);
  });
});
