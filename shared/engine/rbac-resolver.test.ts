import { describe, expect, it } from 'vitest';
import { clusterRoleRules, grantsAllow, grantsFor, ruleAllows } from './rbac-resolver.js';
import { labInventory } from '../../test/fixtures/events/inventory-fixture.js';

const objects = labInventory()[0]!.objects;

describe('RBAC resolution', () => {
  it('expands aggregated ClusterRoles from their label selectors', () => {
    const rules = clusterRoleRules('namespace-viewer', objects);
    expect(rules.flatMap((r) => r.resources)).toEqual(expect.arrayContaining(['secrets', 'deployments']));
  });

  it('grants research-agent cluster-wide secrets through the aggregated role, support-agent only its config map', () => {
    const research = grantsFor('agents', 'research-agent', objects);
    expect(grantsAllow(research, { verb: 'list', apiGroup: '', resource: 'secrets', namespace: null, name: null })?.via).toBe('ClusterRoleBinding research-agent-viewer → ClusterRole namespace-viewer');
    const support = grantsFor('agents', 'support-agent', objects);
    expect(grantsAllow(support, { verb: 'get', apiGroup: '', resource: 'configmaps', namespace: 'agents', name: 'support-agent-config' })).not.toBeNull();
    expect(grantsAllow(support, { verb: 'get', apiGroup: '', resource: 'configmaps', namespace: 'agents', name: 'other' })).toBeNull();
    expect(grantsAllow(support, { verb: 'get', apiGroup: '', resource: 'configmaps', namespace: 'payments', name: 'support-agent-config' })).toBeNull();
  });

  it('matches wildcards and subresources', () => {
    expect(ruleAllows({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { verb: 'create', apiGroup: 'apps', resource: 'deployments', namespace: 'x', name: null })).toBe(true);
    expect(ruleAllows({ apiGroups: [''], resources: ['pods'], verbs: ['create'] }, { verb: 'create', apiGroup: '', resource: 'pods/exec', namespace: 'x', name: null })).toBe(false);
    expect(ruleAllows({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }, { verb: 'create', apiGroup: '', resource: 'pods/exec', namespace: 'x', name: null })).toBe(true);
  });
});
