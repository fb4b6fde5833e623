// Contexts, inventory, posture and access reviews against the lab's real API server, with kubectl as the check.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InventorySnapshot } from '../../../shared/model/inventory.js';
import type { PostureReport } from '../../../shared/model/posture.js';
import type { LabState } from '../../lab/lab-state.js';
import { AccessReviewer } from '../../../main/kube/access/access-review.js';
import { KubeconfigSet } from '../../../main/kube/kubeconfig-contexts.js';
import { ensureLab, labSkipReason } from '../lab-fixture.js';
import { kubectlFor, kubectlJson, tempDir, vigil } from './kube-lab.js';

const skip = labSkipReason();

describe.skipIf(skip !== null)(`cluster views of the lab${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: LabState;

  beforeAll(async () => {
    lab = await ensureLab();
  });

  it('vigil contexts lists the three lab contexts as connected and names a broken file next to them', () => {
    const broken = path.join(tempDir('vigil-contexts-'), 'broken.yaml');
    writeFileSync(broken, 'contexts: [unclosed\n');
    const result = vigil(['contexts', '--json'], { KUBECONFIG: `${lab.kubeconfig}:${broken}` });
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.out) as { contexts: { name: string; connection: { state: string; version?: string } }[]; problems: { file: string; message: string }[] };
    expect(listed.contexts.map((c) => c.name).sort()).toEqual(Object.values(lab.contexts).sort());
    for (const c of listed.contexts) expect(c.connection).toMatchObject({ state: 'connected', version: lab.apiserver.version });
    expect(listed.problems).toEqual([{ file: broken, message: expect.stringMatching(/^not valid YAML at line 2/) }]);
  });

  it('vigil inventory lists exactly the pods and bindings kubectl sees', () => {
    const result = vigil(['inventory', '--lab', '--json']);
    expect(result.err).toBe('');
    const snapshot = JSON.parse(result.out) as InventorySnapshot & { coverage: { kind: string; state: string }[] };
    const names = (kind: string) => snapshot.objects.filter((o) => o.kind === kind).map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();
    const kubectlNames = (resource: string) => kubectlJson(lab, 'get', resource, '-A').items.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();
    expect(names('Pod')).toEqual(kubectlNames('pods'));
    expect(names('ClusterRoleBinding')).toEqual(kubectlNames('clusterrolebindings'));
    expect(names('Deployment')).toEqual(kubectlNames('deployments'));
    // Secrets are known by name (blast radius: who can read which) but held as metadata only: no data, ever.
    expect(names('Secret')).toEqual(kubectlNames('secrets'));
    expect(names('Secret').length).toBeGreaterThan(0);
    expect(result.out).not.toMatch(/"data"\s*:|"stringData"\s*:/);
    expect(snapshot.coverage.every((c) => c.state === 'stopped')).toBe(true);
    const scoped = JSON.parse(vigil(['inventory', '--lab', '--namespace', 'agents', '--json']).out) as InventorySnapshot;
    expect(scoped.objects.filter((o) => o.kind === 'Pod').map((o) => o.metadata.namespace)).toEqual(['agents', 'agents']);
  });

  it('posture of the over-privileged research-agent shows its unused cluster-wide secrets grant', () => {
    // Make a known call as research-agent, so "used" is not empty: get a configmap-list in its own namespace.
    const kubectl = kubectlFor(lab);
    const token = kubectl('admin', 'create', 'token', '-n', 'agents', 'research-agent').out.trim();
    kubectl('admin', 'get', 'configmaps', '-n', 'agents', `--token=${token}`, '--user=', '--context', lab.contexts.admin);
    const result = vigil(['posture', '--lab', '--namespace', 'agents', '--json']);
    expect(result.err).toBe('');
    const report = JSON.parse(result.out) as PostureReport;
    const research = report.serviceAccounts.find((s) => s.name === 'research-agent')!;
    expect(research.pods).toEqual(['research-agent-7c9f6d5b8-x2k4p']);
    expect(research.unused.some((u) => /^can [a-z, ]*(get|watch)[a-z, ]* secrets cluster-wide$/.test(u))).toBe(true);
    expect(research.grants[0]).toMatchObject({ resources: ['secrets'], risky: true, via: [{ binding: { kind: 'ClusterRoleBinding', name: 'research-agent-secrets-reader' } }] });
    expect(research.summary).toMatch(/secrets cluster-wide.*; used: /);
    const support = report.serviceAccounts.find((s) => s.name === 'support-agent')!;
    expect(support.grants.some((g) => g.resources.includes('secrets'))).toBe(false);
  });

  it('access reviews say what the auditor may not do, and why', async () => {
    const set = new KubeconfigSet([lab.kubeconfig]);
    const auditor = await new AccessReviewer(set.client(lab.contexts.auditor)).allowed('quarantine.soft', 'agents', 'vigil-lab-auditor');
    expect(auditor.allowed).toBe(false);
    expect(auditor.reason).toContain('not allowed: vigil-lab-auditor may not create networkpolicies (networking.k8s.io) in namespace agents (needed to create the quarantine NetworkPolicy)');
    const responder = await new AccessReviewer(set.client(lab.contexts.responder)).allowed('quarantine.soft', 'agents');
    expect(responder).toMatchObject({ allowed: true, reason: 'allowed' });
    const rules = await new AccessReviewer(set.client(lab.contexts.auditor)).rulesIn('agents');
    expect(JSON.stringify(rules.resourceRules)).toContain('"list"');
  });
});
