import { describe, expect, it } from 'vitest';
import { connectFeatures } from './behaviour-features.js';

describe('connectFeatures', () => {
  it('names the destination by host and by address, and stays right past its memo bound', () => {
    expect(connectFeatures('tcp', 'api.example', '203.0.113.10', 443).map((f) => `${f.kind}=${f.key}`)).toEqual(['egress=tcp:api.example:443', 'egressAddresses=tcp:203.0.113.10:443']);
    // Random ephemeral peers fill the table many times over: it starts over instead of growing, answers stay exact.
    for (let port = 1; port <= 45_000; port++) {
      const [egress, address] = connectFeatures('tcp', `h${port % 7}.example`, `198.51.100.${port % 250}`, port);
      if (port % 9_999 === 0) expect([egress!.key, address!.key]).toEqual([`tcp:h${port % 7}.example:${port}`, `tcp:198.51.100.${port % 250}:${port}`]);
    }
    expect(connectFeatures('tcp', 'api.example', '203.0.113.10', 443)[0]!.key).toBe('tcp:api.example:443');
  });
});
