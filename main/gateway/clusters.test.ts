import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clustersSchema } from '../../shared/api/contract.js';
import { listClusters, vigilCounters } from './clusters.js';

describe('clusters.list', () => {
  it('lists each kubeconfig context with its live connection state, and names a broken file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-clusters-'));
    const good = path.join(dir, 'config');
    // Port 1 on loopback: nothing listens, so the probe reports the server unreachable (no network leaves the host).
    writeFileSync(good, `apiVersion: v1
kind: Config
current-context: prod
clusters: [{ name: prod, cluster: { server: 'https://127.0.0.1:1' } }]
users: [{ name: alice, user: { token: secret-token } }]
contexts: [{ name: prod, context: { cluster: prod, user: alice, namespace: agents } }]
`);
    const broken = path.join(dir, 'broken');
    writeFileSync(broken, 'clusters: [oops');
    const clusters = clustersSchema.parse(await listClusters({ KUBECONFIG: `${good}:${broken}`, HOME: dir }));
    const prod = clusters.contexts.find((c) => c.name === 'prod' && c.source === 'kubeconfig')!;
    expect(prod).toMatchObject({ server: 'https://127.0.0.1:1', user: 'alice', namespace: 'agents', current: true });
    expect(['unreachable', 'error', 'timeout']).toContain(prod.connection.state);
    expect(JSON.stringify(clusters)).not.toContain('secret-token');
    expect(clusters.problems.map((p) => p.file)).toContain(broken);
  });

  it('keeps only the vigil_* counters of the collector metrics', () => {
    const text = '# HELP x\nvigil_ringbuf_dropped_total 3\nvigil_events_unattributed_total{node="n1"} 12\ngo_threads 9\n';
    expect(vigilCounters(text)).toEqual({ vigil_ringbuf_dropped_total: 3, 'vigil_events_unattributed_total{node="n1"}': 12 });
  });
});
