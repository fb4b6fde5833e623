// Generated NetworkPolicies and RBAC objects must be accepted by a real API server: server-side dry run against the
// lab's kube-apiserver, with the responder's identity for NetworkPolicies (what a responder would apply) and the
// admin's for RBAC (granting RBAC needs escalate rights the responder does not hold).
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dump } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../shared/engine/engine.js';
import type { KubeObject } from '../../../shared/model/inventory.js';
import { baselineTraffic } from '../../fixtures/events/lab-scenarios.js';
import { labInventory } from '../../fixtures/events/inventory-fixture.js';
import { ensureLab, labSkipReason } from '../lab-fixture.js';
import { kubectlFor } from '../kube/kube-lab.js';
import type { LabState } from '../../lab/lab-state.js';

const skip = labSkipReason();
const PODS = ['agents/research-agent-7c9f6d5b8-x2k4p', 'agents/support-agent-5d8b7c6f4-q9w2e', 'mcp/mcp-files-0', 'payments/payments-api-6f7d8c9b5-m3n4b', 'payments/payments-db-0'];

describe.skipIf(skip !== null)(`generated policies against the lab's API server${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: LabState;
  let engine: Engine;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-policies-'));

  beforeAll(async () => {
    lab = await ensureLab();
    engine = new Engine();
    engine.setInventory(labInventory());
    engine.ingest(baselineTraffic());
    engine.flush();
  });

  function dryRun(context: 'admin' | 'responder', name: string, objects: KubeObject[]) {
    const file = path.join(dir, `${name}.yaml`);
    writeFileSync(file, objects.map((o) => dump(o, { noRefs: true })).join('---\n'));
    return kubectlFor(lab)(context, 'apply', '--dry-run=server', '-f', file);
  }

  for (const pod of PODS) {
    it(`accepts the NetworkPolicy generated for ${pod} (server-side dry run, responder)`, () => {
      const policy = engine.generatePolicy(pod, 'networkpolicy');
      const result = dryRun('responder', `np-${pod.replace('/', '-')}`, policy.objects);
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      expect(result.out).toMatch(/networkpolicy\.networking\.k8s\.io\/vigil-baseline-\S+ (created|configured|unchanged) \(server dry run\)/);
    });
  }

  it('accepts the generated Role and RoleBinding (server-side dry run, admin)', () => {
    const policy = engine.generatePolicy('agents/support-agent-5d8b7c6f4-q9w2e', 'rbac');
    expect(policy.objects.map((o) => o.kind)).toEqual(['Role', 'RoleBinding']);
    const result = dryRun('admin', 'rbac-support-agent', policy.objects);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('role.rbac.authorization.k8s.io/vigil-observed-support-agent created (server dry run)');
    expect(result.out).toContain('rolebinding.rbac.authorization.k8s.io/vigil-observed-support-agent created (server dry run)');
  });

  it('the API server refuses a broken policy (the check can fail)', () => {
    const policy = engine.generatePolicy(PODS[0]!, 'networkpolicy');
    const broken = structuredClone(policy.objects[0]!) as KubeObject & { spec: { egress: { ports: { protocol: string }[] }[] } };
    broken.spec.egress[0]!.ports[0]!.protocol = 'ICMP';
    const result = dryRun('responder', 'broken', [broken]);
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/protocol|Unsupported value/i);
  });
});
