import { describe, expect, it } from 'vitest';
import { labNftRuleset } from './firewall.js';
import { dnsmasqConfig, podResolvConf } from './dns.js';

describe('lab network rules', () => {
  const ruleset = labNftRuleset({ services: [{ clusterIp: '10.96.0.100', port: 80, targetIp: '10.244.0.11', targetPort: 8080, protocol: 'tcp' }], apiserverPort: 16443 });

  it('drops lab-range traffic leaving through any interface but the lab bridge', () => {
    expect(ruleset).toContain('ip saddr { 10.244.0.0/24, 10.96.0.0/24, 198.51.100.0/24 } oifname != "vigil0" counter drop');
    expect(ruleset).toContain('ip daddr { 10.244.0.0/24, 10.96.0.0/24, 198.51.100.0/24 } oifname != { "vigil0", "lo" } counter drop');
  });

  it('DNATs ClusterIPs to pods and the kubernetes Service to the loopback apiserver', () => {
    expect(ruleset).toContain('ip daddr 10.96.0.100 tcp dport 80 dnat to 10.244.0.11:8080');
    expect(ruleset).toContain('ip daddr 10.96.0.1 tcp dport 443 dnat to 127.0.0.1:16443');
  });

  it('configures dnsmasq never to forward and to listen only on the lab gateway', () => {
    const conf = dnsmasqConfig();
    expect(conf).toContain('no-resolv');
    expect(conf).not.toMatch(/^server=/m);
    expect(conf).toContain('listen-address=10.244.0.1');
    expect(conf).toContain('host-record=collect.exfil.example,198.51.100.66');
    expect(conf).toContain('host-record=research-agent.agents.svc.cluster.local,10.96.0.');
  });

  it('gives pods the cluster search path and the DNS service IP', () => {
    expect(podResolvConf('agents')).toBe('search agents.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  });
});
