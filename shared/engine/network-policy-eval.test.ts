import { describe, expect, it } from 'vitest';
import { InventoryIndex } from './inventory-index.js';
import { egressVerdict, evaluate, networkPoliciesOf } from './network-policy-eval.js';
import { labInventory } from '../../test/fixtures/events/inventory-fixture.js';

const inventory = new InventoryIndex(labInventory());
const pod = (key: string) => inventory.pod(key)!;

describe('NetworkPolicy semantics', () => {
  const policies = networkPoliciesOf(inventory.objects);

  it('an unselected pod is not isolated', () => {
    expect(egressVerdict(policies, inventory, pod('agents/research-agent-7c9f6d5b8-x2k4p'), '203.0.113.66', 443, 'tcp')).toEqual({ isolated: false, allowed: true, selectingPolicies: [] });
  });

  it('payments-db accepts only payments-api on 6379 (through the default deny)', () => {
    const db = pod('payments/payments-db-0');
    const api = pod('payments/payments-api-6f7d8c9b5-m3n4b');
    expect(evaluate(policies, inventory, 'Ingress', db, { ip: api.ip!, pod: api }, 'TCP', 6379).allowed).toBe(true);
    expect(evaluate(policies, inventory, 'Ingress', db, { ip: api.ip!, pod: api }, 'TCP', 6380).allowed).toBe(false);
    const agent = pod('agents/research-agent-7c9f6d5b8-x2k4p');
    const verdict = evaluate(policies, inventory, 'Ingress', db, { ip: agent.ip!, pod: agent }, 'TCP', 6379);
    expect(verdict).toEqual({ isolated: true, allowed: false, selectingPolicies: ['payments/default-deny-ingress', 'payments/payments-db-from-api'] });
  });

  it('resolves a Service IP to its backends and target port; ipBlock except carves out', () => {
    const agent = pod('agents/support-agent-5d8b7c6f4-q9w2e');
    const egress = [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'e', namespace: 'agents' }, spec: { podSelector: { matchLabels: { app: 'support-agent' } }, policyTypes: ['Egress'], egress: [
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'mcp' } }, podSelector: { matchLabels: { app: 'mcp-files' } } }], ports: [{ protocol: 'TCP', port: 3001 }] },
      { to: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.66/32'] } }] },
    ] } }];
    expect(egressVerdict(egress, inventory, agent, '10.96.0.121', 80, 'tcp').allowed).toBe(true);
    expect(egressVerdict(egress, inventory, agent, '10.96.0.121', 81, 'tcp').allowed).toBe(false);
    expect(egressVerdict(egress, inventory, agent, '203.0.113.10', 443, 'tcp').allowed).toBe(true);
    expect(egressVerdict(egress, inventory, agent, '203.0.113.66', 443, 'tcp').allowed).toBe(false);
    expect(egressVerdict(egress, inventory, agent, '127.0.0.1', 6379, 'tcp').allowed).toBe(true);
  });
});
