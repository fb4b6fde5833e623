// Cluster DNS of the lab: dnsmasq bound only to the lab gateway address, answering from its own records only
// (no upstream resolver, so no lab query ever reaches the machine's real resolver). Pods reach it through the
// kube-dns ClusterIP (DNS_SERVICE_IP), DNAT-ed to the gateway by the lab's nftables table.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLUSTER_DOMAIN, DNS_SERVICE_IP, EXTERNAL_HOSTS, KUBERNETES_SERVICE_IP, LAB_PODS, POD_GATEWAY } from '../topology.js';
import { labServices } from '../cluster/objects.js';

export const DNSMASQ = '/usr/sbin/dnsmasq';

/** Every name the lab's DNS answers, with its IPv4 address. */
export function labDnsRecords(): [string, string][] {
  const records: [string, string][] = [
    [`kubernetes.default.svc.${CLUSTER_DOMAIN}`, KUBERNETES_SERVICE_IP],
    ['kubernetes.default.svc', KUBERNETES_SERVICE_IP],
    [`kube-dns.kube-system.svc.${CLUSTER_DOMAIN}`, DNS_SERVICE_IP],
  ];
  for (const svc of labServices()) records.push([`${svc.name}.${svc.namespace}.svc.${CLUSTER_DOMAIN}`, svc.clusterIp]);
  for (const pod of LAB_PODS) {
    records.push([`${pod.ip.replaceAll('.', '-')}.${pod.namespace}.pod.${CLUSTER_DOMAIN}`, pod.ip]);
    // StatefulSet pods get a stable name under their governing service.
    if (pod.owner.kind === 'StatefulSet') records.push([`${pod.name}.${pod.owner.name}.${pod.namespace}.svc.${CLUSTER_DOMAIN}`, pod.ip]);
  }
  for (const host of EXTERNAL_HOSTS) records.push([host.name, host.ip]);
  return records;
}

export function dnsmasqConfig(): string {
  return [
    '# Written by `vigil lab up`. Answers only the lab\'s names; never forwards anywhere.',
    'no-resolv',
    'no-hosts',
    'no-poll',
    'bind-interfaces',
    `listen-address=${POD_GATEWAY}`,
    'port=53',
    'pid-file=',
    // Unknown names get NXDOMAIN from here instead of being forwarded.
    'local=/#/',
    ...labDnsRecords().map(([name, ip]) => `host-record=${name},${ip}`),
    '',
  ].join('\n');
}

/**
 * Writes the config under a name that carries its hash, so a running dnsmasq whose command line names another file
 * was started with other records (it reads host-record lines only at start) and must be restarted.
 */
export function writeDnsmasqConfig(stateDir: string): string {
  const content = dnsmasqConfig();
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 12);
  const file = path.join(stateDir, `dnsmasq-${hash}.conf`);
  writeFileSync(file, content);
  return file;
}

export function dnsmasqArgs(configFile: string): string[] {
  return ['--keep-in-foreground', '--log-facility=-', `--conf-file=${configFile}`, '--user=root'];
}

export function podResolvConf(namespace: string): string {
  return [
    `search ${namespace}.svc.${CLUSTER_DOMAIN} svc.${CLUSTER_DOMAIN} ${CLUSTER_DOMAIN}`,
    `nameserver ${DNS_SERVICE_IP}`,
    'options ndots:5',
    '',
  ].join('\n');
}
