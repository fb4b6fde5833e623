import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/model/inventory.js';
import { auditLineToEvent, type AuditEvent } from './audit-events.js';
import { EffectivePermissions, clusterRoleRules } from './effective-permissions.js';
import { computePosture } from './rbac-posture.js';
import { ruleAllows, selectorMatches } from './rbac-rules.js';

const obj = (kind: string, name: string, namespace: string | undefined, rest: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject => ({
  apiVersion: kind.includes('Role') ? 'rbac.authorization.k8s.io/v1' : 'v1',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) },
  ...rest,
});

const clusterRoles = [
  obj('ClusterRole', 'secret-reader', undefined, { rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['secrets'] }] }),
  obj('ClusterRole', 'agent-tools', undefined, { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'vigil.dev/aggregate-to-agent-tools': 'true' } }] }, rules: [] }),
  obj('ClusterRole', 'exec-into-pods', undefined, { rules: [{ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] }] }, { 'vigil.dev/aggregate-to-agent-tools': 'true' }),
  obj('ClusterRole', 'nested', undefined, { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'nest', operator: 'Exists' }] }] } }),
  obj('ClusterRole', 'nested-source', undefined, { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'vigil.dev/aggregate-to-agent-tools': 'true' } }] } }, { nest: 'x' }),
  obj('ClusterRole', 'system:discovery', undefined, { rules: [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*'] }] }),
];
const roles = [obj('Role', 'config-reader', 'agents', { rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['configmaps'] }] })];
const roleBindings = [
  obj('RoleBinding', 'research-agent-config', 'agents', { roleRef: { kind: 'Role', name: 'config-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'research-agent', namespace: 'agents' }] }),
  obj('RoleBinding', 'tools', 'agents', { roleRef: { kind: 'ClusterRole', name: 'agent-tools' }, subjects: [{ kind: 'User', name: 'system:serviceaccount:agents:research-agent' }] }),
];
const clusterRoleBindings = [
  obj('ClusterRoleBinding', 'research-agent-secrets', undefined, { roleRef: { kind: 'ClusterRole', name: 'secret-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'research-agent', namespace: 'agents' }] }),
  obj('ClusterRoleBinding', 'system:discovery', undefined, { roleRef: { kind: 'ClusterRole', name: 'system:discovery' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] }),
];
const rbac = { roles, clusterRoles, roleBindings, clusterRoleBindings };

function auditLine(user: string, verb: string, resource: string, namespace: string | undefined, code: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `${Math.random()}`,
    stage: 'ResponseComplete',
    requestURI: '/x',
    verb,
    user: { username: user, groups: ['system:serviceaccounts'] },
    objectRef: { resource, ...(namespace ? { namespace } : {}), apiVersion: 'v1' },
    responseStatus: { code },
    stageTimestamp: '2026-11-21T10:00:00.000000Z',
    ...extra,
  });
}

const sa = 'system:serviceaccount:agents:research-agent';
const calls = [
  auditLine(sa, 'get', 'configmaps', 'agents', 200),
  auditLine(sa, 'get', 'configmaps', 'agents', 200),
  auditLine(sa, 'list', 'secrets', 'kube-system', 403),
  auditLine('system:serviceaccount:mcp:mcp-files', 'get', 'configmaps', 'mcp', 200),
]
  .map(auditLineToEvent)
  .flatMap((r) => ('event' in r ? [r.event] : [])) as AuditEvent[];

describe('rbac rules', () => {
  it('matches wildcards, subresources and resource names as the authorizer does', () => {
    expect(ruleAllows({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verb: 'delete', apiGroup: 'apps', resource: 'deployments' })).toBe(true);
    expect(ruleAllows({ verbs: ['get'], apiGroups: [''], resources: ['pods/*'] }, { verb: 'get', apiGroup: '', resource: 'pods/log' })).toBe(true);
    expect(ruleAllows({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verb: 'get', apiGroup: '', resource: 'pods/log' })).toBe(false);
    expect(ruleAllows({ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, { verb: 'get', apiGroup: '', resource: 'secrets', name: 'b' })).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] }, { a: 'y' })).toBe(true);
  });
});

describe('effective permissions', () => {
  it('computes aggregated ClusterRoles, nested ones included', () => {
    const rules = clusterRoleRules(clusterRoles);
    expect(rules.get('agent-tools')?.rules).toEqual([{ rule: { verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] }, from: 'exec-into-pods' }]);
    expect(rules.get('nested')?.rules.map((r) => r.rule.resources)).toEqual([['pods/exec']]);
  });

  it('resolves bindings by ServiceAccount subject, User name and group', () => {
    const grants = new EffectivePermissions(rbac).grantsOf('agents', 'research-agent');
    expect(grants.map((g) => `${g.via.binding.name}:${g.resources.join()}${g.nonResourceURLs.join()}@${g.namespace ?? '*'}`).sort()).toEqual([
      'research-agent-config:configmaps@agents',
      'research-agent-secrets:secrets@*',
      'system:discovery:/api,/api/*@*',
      'tools:pods/exec@agents',
    ]);
    expect(new EffectivePermissions(rbac).grantsOf('agents', 'support-agent').map((g) => g.via.binding.name)).toEqual(['system:discovery']);
  });
});

describe('computePosture', () => {
  const report = computePosture({
    clusterId: 'c1',
    context: 'lab',
    rbac,
    serviceAccounts: [obj('ServiceAccount', 'research-agent', 'agents'), obj('ServiceAccount', 'mcp-files', 'mcp')],
    pods: [obj('Pod', 'research-agent-1', 'agents', { spec: { serviceAccountName: 'research-agent' } })],
    calls,
    sources: ['audit.log'],
    now: () => new Date('2026-11-21T12:00:00Z'),
  });
  const research = report.serviceAccounts.find((s) => s.name === 'research-agent')!;

  it('calls out the unused secrets grant in plain words next to what was used', () => {
    expect(research.unused).toContain('can get, list, watch secrets cluster-wide');
    expect(research.unused).toContain('can create pods/exec in its own namespace');
    expect(research.unused).toContain('can list configmaps in its own namespace');
    expect(research.used).toEqual(['get configmaps in its own namespace (2×)']);
    expect(research.summary).toMatch(/^can get, list, watch secrets cluster-wide; .*; used: get configmaps in its own namespace$/);
    expect(research.pods).toEqual(['research-agent-1']);
  });

  it('reports refused attempts, risky grants first, and leaves platform defaults out', () => {
    expect(research.denied).toEqual(['list secrets in namespace kube-system (1×)']);
    expect(research.grants[0]?.risky).toBe(true);
    expect(research.grants.map((g) => g.words)).not.toContain('can get the URLs /api, /api/*');
    expect(report.defaultsExcluded).toEqual(['ClusterRoleBinding system:discovery']);
    const configGrant = research.grants.find((g) => g.resources.includes('configmaps'))!;
    expect(configGrant).toMatchObject({ usedVerbs: ['get'], unusedVerbs: ['list'] });
  });

  it('names calls that no grant explains', () => {
    const mcp = report.serviceAccounts.find((s) => s.name === 'mcp-files')!;
    expect(mcp.summary).toBe('has no grants beyond the platform defaults; used: get configmaps in its own namespace');
    expect(mcp.unexplained).toEqual(['get configmaps in its own namespace (1×)']);
    expect(report.observation).toMatchObject({ calls: 4, from: '2026-11-21T10:00:00.000000Z' });
  });
});

describe('audit lines', () => {
  it('keeps completed resource requests only and credits impersonated users', () => {
    expect(auditLineToEvent('nope')).toEqual({ skipped: 'not-json' });
    expect(auditLineToEvent(auditLine(sa, 'get', 'pods', 'a', 200, { stage: 'RequestReceived' }))).toEqual({ skipped: 'incomplete-stage' });
    expect(auditLineToEvent(auditLine(sa, 'get', 'pods', 'a', 200, { objectRef: undefined }))).toEqual({ skipped: 'non-resource' });
    const result = auditLineToEvent(auditLine('admin', 'get', 'pods', 'a', 200, { impersonatedUser: { username: sa } }));
    expect('event' in result && result.event.details.user).toBe(sa);
  });
});
