// nftables table `ip vigil_lab`: the lab's mini kube-proxy (ClusterIP DNAT), the kubernetes Service to the loopback
// apiserver, cluster DNS, hairpin masquerade, and the safety net — nothing from or to the lab ranges may use any
// interface but the lab bridge (and loopback). The whole table is replaced atomically and deleted by `lab down`.
import { DNS_SERVICE_IP, EXTERNAL_CIDR, KUBERNETES_SERVICE_IP, POD_CIDR, POD_GATEWAY, SERVICE_CIDR } from '../topology.js';
import { run } from './run.js';
import { LAB_BRIDGE } from './network.js';

export const NFT_TABLE = 'vigil_lab';

export interface ServiceNatRule { clusterIp: string; port: number; targetIp: string; targetPort: number; protocol: 'tcp' | 'udp' }

export function labNftRuleset(opts: { services: ServiceNatRule[]; apiserverPort: number }): string {
  const lab = `{ ${POD_CIDR}, ${SERVICE_CIDR}, ${EXTERNAL_CIDR} }`;
  const dnat: string[] = [
    `ip daddr ${KUBERNETES_SERVICE_IP} tcp dport 443 dnat to 127.0.0.1:${opts.apiserverPort}`,
    // The kubernetes Endpoints name the gateway (the apiserver's advertise address) on the secure port.
    `ip daddr ${POD_GATEWAY} tcp dport ${opts.apiserverPort} dnat to 127.0.0.1:${opts.apiserverPort}`,
    `ip daddr ${DNS_SERVICE_IP} udp dport 53 dnat to ${POD_GATEWAY}:53`,
    `ip daddr ${DNS_SERVICE_IP} tcp dport 53 dnat to ${POD_GATEWAY}:53`,
    ...opts.services.map((s) => `ip daddr ${s.clusterIp} ${s.protocol} dport ${s.port} dnat to ${s.targetIp}:${s.targetPort}`),
  ];
  const hostDnat = dnat.filter((rule) => !rule.includes(`ip daddr ${POD_GATEWAY} `));
  return `table ip ${NFT_TABLE}
delete table ip ${NFT_TABLE}
table ip ${NFT_TABLE} {
  chain services_from_pods {
    type nat hook prerouting priority -100; policy accept;
    iifname "${LAB_BRIDGE}" jump service_dnat
  }
  chain services_from_host {
    type nat hook output priority -100; policy accept;
    ip daddr ${SERVICE_CIDR} jump service_dnat_host
  }
  chain service_dnat {
${dnat.map((r) => `    ${r}`).join('\n')}
  }
  chain service_dnat_host {
${hostDnat.map((r) => `    ${r}`).join('\n')}
  }
  chain hairpin {
    type nat hook postrouting priority 100; policy accept;
    # A pod reaching a Service that lands on a pod answers to the gateway, so the reply is un-NAT-ed on the way
    # back. br_netfilter (bridge-nf-call-iptables) may bridge the DNAT-ed frame directly, with the veth port as the
    # output device, so this matches on addresses only and SNATs to the gateway explicitly.
    ip saddr ${POD_CIDR} ip daddr ${POD_CIDR} ct status dnat snat to ${POD_GATEWAY}
  }
  chain confine_forward {
    type filter hook forward priority 0; policy accept;
    ip saddr ${lab} oifname != "${LAB_BRIDGE}" counter drop
    ip daddr ${lab} oifname != "${LAB_BRIDGE}" counter drop
  }
  chain confine_output {
    type filter hook output priority 0; policy accept;
    ip saddr ${lab} oifname != { "${LAB_BRIDGE}", "lo" } counter drop
    ip daddr ${lab} oifname != { "${LAB_BRIDGE}", "lo" } counter drop
  }
}
`;
}

export function applyLabFirewall(ruleset: string): void {
  run('nft', ['-f', '-'], { input: ruleset });
}

export function removeLabFirewall(): boolean {
  return run('nft', ['delete', 'table', 'ip', NFT_TABLE], { allowFailure: true }).status === 0;
}
