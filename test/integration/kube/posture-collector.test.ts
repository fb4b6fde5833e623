// RBAC posture with the collector's view of API calls: a real request from inside the support-agent pod (Python,
// TLS to kubernetes.default.svc with the pod's own token) is decoded by the lab's collector and appears in the
// posture as seen by both the audit log and the collector; without the collector, the same use has no such mark.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PostureReport } from '../../../shared/model/posture.js';
import type { LabState } from '../../lab/lab-state.js';
import { ensureLab, labSkipReason } from '../lab-fixture.js';
import { tempDir, vigilAsync } from './kube-lab.js';

const skip = labSkipReason();

const apiCall = `import ssl, sys, urllib.request
d = '/var/run/secrets/kubernetes.io/serviceaccount/'
ctx = ssl.create_default_context(cafile=d + 'ca.crt')
req = urllib.request.Request('https://kubernetes.default.svc/api/v1/namespaces/agents/configmaps?limit=5', headers={'Authorization': 'Bearer ' + open(d + 'token').read().strip()})
with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
    print(r.status)
`;

describe.skipIf(skip !== null)(`posture with the collector's view of API calls${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: LabState;
  beforeAll(async () => {
    lab = await ensureLab();
  });

  it("shows a pod's API request decoded by the collector next to the audit log's record of it", async (context) => {
    if (!lab.collector) return context.skip(`the lab has no collector${lab.collectorError ? `: ${lab.collectorError}` : ''}`);
    const pod = lab.pods.find((p) => p.namespace === 'agents' && p.name.startsWith('support-agent'))!;
    const script = path.join(tempDir('vigil-posture-collector-'), 'api-call.py');
    writeFileSync(script, apiCall);
    const call = await vigilAsync(['lab', 'exec', `agents/${pod.name}`, '--', '/usr/bin/python3', script]);
    expect(call.out.trim(), call.err).toBe('200');
    // The collector streams what it decoded within a moment; posture reads its whole buffer.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const withCollector = await vigilAsync(['posture', '--lab', '--namespace', 'agents', '--json']);
    expect(withCollector.code, withCollector.err).toBe(0);
    const report = JSON.parse(withCollector.out) as PostureReport;
    expect(report.observation.sources, withCollector.err).toEqual([lab.auditLog, expect.stringMatching(/^collector https:\/\/127\.0\.0\.1:\d+ \(lab\): [1-9]\d* API requests decoded, [1-9]\d* connections to the API server from pods$/)]);
    const support = report.serviceAccounts.find((s) => s.name === 'support-agent')!;
    expect(support.used).toContainEqual(expect.stringMatching(/^list configmaps in its own namespace \(\d+×; audit log and collector\)$/));

    const auditOnly = await vigilAsync(['posture', '--lab', '--namespace', 'agents', '--no-collector', '--json']);
    const plain = (JSON.parse(auditOnly.out) as PostureReport).serviceAccounts.find((s) => s.name === 'support-agent')!;
    expect(plain.used).toContainEqual(expect.stringMatching(/^list configmaps in its own namespace \(\d+×\)$/));
    expect(plain.used.join(' ')).not.toContain('collector');
  });
});
