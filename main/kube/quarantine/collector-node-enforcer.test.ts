import { describe, expect, it } from 'vitest';
import { enforcementRequestFor } from './collector-node-enforcer.js';

describe('the collector enforcement request for a quarantine', () => {
  it('soft: the baseline address blocks with their ports; pod peers are left to the NetworkPolicy and said so', () => {
    const { body, notes } = enforcementRequestFor({
      mode: 'egress-allowlist',
      allow: [
        { cidr: '203.0.113.10/32', ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'UDP', port: 443 }] },
        { cidr: '10.0.0.0/8' },
        { namespace: 'mcp', podLabels: { app: 'mcp-files' } },
      ],
    });
    expect(body).toEqual({ mode: 'enforce', policy: 'allowlist', allow: [{ cidr: '203.0.113.10/32', ports: [443] }, { cidr: '10.0.0.0/8' }] });
    expect(notes).toEqual([expect.stringContaining('is pods, not addresses: only the NetworkPolicy allows it')]);
  });

  it('hard: deny everything but DNS', () => {
    expect(enforcementRequestFor({ mode: 'deny-all', allow: [] }).body).toEqual({ mode: 'enforce', policy: 'deny-all-but-dns' });
  });
});
