import { describe, expect, it } from 'vitest';
import { quarantinePeerSchema } from '../../../shared/model/action.js';
import { peersFromBaseline } from './quarantine-peers.js';

describe('peersFromBaseline', () => {
  it('turns baseline addresses into single-host peers with their port, valid for the quarantine executor', () => {
    const peers = peersFromBaseline(['tcp:203.0.113.10:443', 'udp:10.96.0.10:53', 'tcp:fd00::1:8080', 'tcp:not-an-ip:1']);
    expect(peers).toEqual([
      { cidr: '203.0.113.10/32', ports: [{ protocol: 'TCP', port: 443 }], reason: 'observed in the baseline: tcp:203.0.113.10:443' },
      { cidr: '10.96.0.10/32', ports: [{ protocol: 'UDP', port: 53 }], reason: 'observed in the baseline: udp:10.96.0.10:53' },
      { cidr: 'fd00::1/128', ports: [{ protocol: 'TCP', port: 8080 }], reason: 'observed in the baseline: tcp:fd00::1:8080' },
    ]);
    for (const peer of peers) expect(quarantinePeerSchema.safeParse(peer).success).toBe(true);
  });
});
