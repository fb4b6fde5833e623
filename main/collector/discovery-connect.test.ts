import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pickCollectorPod } from './discovery-connect.js';
import type { CollectorDiscovery, CollectorPod } from './discovery-collector-pods.js';
import { certificateProblemFor } from './discovery-credentials.js';

const pod = (node: string, ready: boolean, name = `vigil-collector-${node}`): CollectorPod => ({
  namespace: 'vigil-system', name, node, ip: '10.0.0.1', port: 7443, phase: 'Running', ready, daemonSet: 'vigil-collector',
  ...(ready ? {} : { notReadyReason: 'containers with unready status: [collector]' }),
});
const discovery = (pods: CollectorPod[]): CollectorDiscovery => ({
  searched: 'all namespaces',
  daemonSets: [{ namespace: 'vigil-system', name: 'vigil-collector', desired: pods.length, ready: pods.filter((p) => p.ready).length, secretName: 'vigil-collector-api', services: [] }],
  pods,
  problems: [],
});

describe('choosing the collector pod', () => {
  it('takes the only ready collector, or the one of the node asked for', () => {
    expect(pickCollectorPod(discovery([pod('n1', true), pod('n2', false)])).node).toBe('n1');
    expect(pickCollectorPod(discovery([pod('n1', true), pod('n2', true)]), 'n2').node).toBe('n2');
  });

  it('asks for --node when several nodes have a ready collector, naming them', () => {
    expect(() => pickCollectorPod(discovery([pod('n1', true), pod('n2', true)]))).toThrow('collectors run on 2 nodes (n1, n2): say which with --node');
  });

  it('says why a node cannot be used, and what exists instead', () => {
    expect(() => pickCollectorPod(discovery([pod('n1', true), pod('n2', false)]), 'n2')).toThrow(
      'the collector pod on node n2 is not ready: vigil-system/vigil-collector-n2: containers with unready status: [collector]',
    );
    expect(() => pickCollectorPod(discovery([pod('n1', true)]), 'n9')).toThrow('no collector pod on node n9 in all namespaces; collector pods: n1 (vigil-system/vigil-collector-n1, ready)');
    expect(() => pickCollectorPod({ ...discovery([]), daemonSets: [] })).toThrow(/^no Vigil collector DaemonSet .* in all namespaces; deploy it with kubectl apply -k native-bpf-collector\/deploy$/);
  });
});

let opensslMissing = false;
let certificate = '';
try {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-discovery-cert-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=vigil-collector',
    '-addext', 'subjectAltName=DNS:vigil-collector.vigil-system.svc,IP:10.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  certificate = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
} catch {
  opensslMissing = true;
}

describe.skipIf(opensslMissing)('certificate names checked before connecting (skipped when openssl is missing)', () => {
  it('accepts a name or IP the certificate carries and explains one it does not', () => {
    expect(certificateProblemFor(certificate, '10.0.0.1')).toBeUndefined();
    expect(certificateProblemFor(certificate, 'vigil-collector.vigil-system.svc')).toBeUndefined();
    expect(certificateProblemFor(certificate, '127.0.0.1')).toBe(
      "the collector's certificate is not valid for 127.0.0.1 (it names DNS:vigil-collector.vigil-system.svc, IP Address:10.0.0.1)",
    );
  });
});
