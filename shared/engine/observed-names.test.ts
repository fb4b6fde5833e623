import { describe, expect, it } from 'vitest';
import { collapseHttpPath, collapsePath, ipInCidr, isPrivateAddress } from './observed-names.js';

describe('noise-robust names', () => {
  it('collapses varying path segments but keeps stable ones', () => {
    expect(collapsePath('/proc/12345/status')).toBe('/proc/*/status');
    expect(collapsePath('/srv/files/docs/faq-0123.md')).toBe('/srv/files/docs/*');
    expect(collapsePath('/var/run/secrets/kubernetes.io/serviceaccount/..2026_11_20_10_00_00.1234/token')).toBe('/var/run/secrets/kubernetes.io/serviceaccount/*/token');
    expect(collapsePath('/app/config.yaml')).toBe('/app/config.yaml');
    expect(collapseHttpPath('/v1/forecast?city=Oslo')).toBe('/v1/forecast');
  });

  it('classifies addresses', () => {
    expect(ipInCidr('10.244.0.11', '10.244.0.0/24')).toBe(true);
    expect(ipInCidr('10.245.0.11', '10.244.0.0/24')).toBe(false);
    expect(ipInCidr('203.0.113.66', '0.0.0.0/0')).toBe(true);
    expect(isPrivateAddress('10.96.0.1')).toBe(true);
    expect(isPrivateAddress('203.0.113.66')).toBe(false);
  });
});
