import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import type { GeneratedPolicy } from '../../../../shared/model/policy.js';
import { fileNameFor, policyYaml, seccompJson } from './policy-text.js';

const policy: GeneratedPolicy = {
  kind: 'networkpolicy', pod: 'agents/research-agent-1', workload: 'agents/research-agent', justification: [], warnings: [],
  objects: [
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'a', namespace: 'agents' }, spec: { podSelector: {} } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'b', namespace: 'agents' } },
  ],
};

describe('policy text', () => {
  it('writes one YAML document per object, reading back to the same objects', () => {
    const text = policyYaml(policy);
    const documents = text.split('---\n').map((d) => load(d));
    expect(documents).toEqual(policy.objects);
  });

  it('writes the seccomp profile as JSON only when there is one, and names files after the pod', () => {
    expect(seccompJson(policy)).toBeNull();
    const profile = { defaultAction: 'SCMP_ACT_ERRNO' as const, architectures: ['SCMP_ARCH_X86_64'], syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' as const }] };
    expect(JSON.parse(seccompJson({ ...policy, kind: 'seccomp', seccomp: profile })!)).toEqual(profile);
    expect(fileNameFor(policy, 'yaml')).toBe('agents_research-agent-1.networkpolicy.yaml');
  });
});
