// What the engine learned about names while events streamed: IP → DNS name from lookups, which workloads are AI
// agents / model servers / MCP servers, which hosts each pod talks to as an LLM API.
import type { InventoryIndex } from './inventory-index.js';
import { isPrivateAddress } from './observed-names.js';
import type { Observation } from './observation.js';

/** An IPv4 or IPv6 address as text: digits, dots, colons and hex letters only (what `/^[\d.:a-f]+$/i` accepts). */
function isAddressText(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 58) || c === 46 || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

export type AiRole = 'agent' | 'inference-server' | 'mcp-server' | 'tool';

export class NameBook {
  private readonly dnsNames = new Map<string, string>();
  readonly aiRoles = new Map<string, AiRole>();
  /** Per pod, the hosts (names and IPs, lower case) it called as an LLM API. */
  private readonly llmHosts = new Map<string, Set<string>>();

  constructor(private inventory: InventoryIndex) {}

  setInventory(inventory: InventoryIndex): void {
    this.inventory = inventory;
    this.workloadsByIp.clear();
    this.externalByIp.clear();
  }

  observe(o: Observation): void {
    const e = o.event;
    if (e.kind === 'dns.answer') {
      for (const answer of e.details.answers) if (isAddressText(answer)) this.dnsNames.set(answer, e.details.queryName.toLowerCase());
    } else if (e.kind === 'net.connect' && e.details.dnsName) {
      this.dnsNames.set(e.details.dstIp, e.details.dnsName.toLowerCase());
    } else if (e.kind === 'workload.classified' && o.workload) {
      // 'tool' classifies one process (a subprocess an agent started), never demotes the workload's own role.
      const current = this.aiRoles.get(o.workload);
      if (e.details.role !== 'tool' || current === undefined) this.aiRoles.set(o.workload, e.details.role);
    } else if (e.kind === 'llm.request' && o.pod) {
      if (o.workload && (!this.aiRoles.has(o.workload) || this.aiRoles.get(o.workload) === 'tool')) this.aiRoles.set(o.workload, 'agent');
      let hosts = this.llmHosts.get(o.pod);
      if (!hosts) this.llmHosts.set(o.pod, (hosts = new Set()));
      hosts.add(e.details.host.toLowerCase());
    }
  }

  dnsNameOf(ip: string): string | null {
    return this.dnsNames.get(ip) ?? null;
  }

  isLlmHost(pod: string, hostOrIp: string): boolean {
    const hosts = this.llmHosts.get(pod);
    if (!hosts) return false;
    if (hosts.has(hostOrIp)) return true;
    const name = this.dnsNames.get(hostOrIp);
    return name !== undefined && hosts.has(name);
  }

  roleOf(workload: string | null): AiRole | null {
    if (!workload) return null;
    return this.aiRoles.get(workload) ?? null;
  }

  private readonly workloadsByIp = new Map<string, string | null>();

  /** A workload (`namespace/owner`) for a pod IP or a Service cluster IP, from the inventory (cached per IP). */
  workloadAt(ip: string): string | null {
    let workload = this.workloadsByIp.get(ip);
    if (workload === undefined) {
      workload = this.lookUpWorkloadAt(ip);
      this.workloadsByIp.set(ip, workload);
    }
    return workload;
  }

  private lookUpWorkloadAt(ip: string): string | null {
    const pod = this.inventory.podByIp(ip);
    if (pod) return pod.workload;
    const service = this.inventory.serviceByIp(ip);
    if (service) {
      const backend = this.inventory.backendsOf(service)[0];
      return backend ? backend.workload : `${service.namespace}/${service.name}`;
    }
    return null;
  }

  /** A workload for an in-cluster host name such as `model-server.data-science.svc.cluster.local`. */
  workloadForHost(host: string): string | null {
    const match = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc(\.[a-z0-9.-]+)?)?$/.exec(host.toLowerCase());
    if (!match) return null;
    const service = this.inventory.services.find((s) => s.name === match[1] && s.namespace === match[2]);
    if (!service) return null;
    const backend = this.inventory.backendsOf(service)[0];
    return backend ? backend.workload : `${service.namespace}/${service.name}`;
  }

  private readonly externalByIp = new Map<string, boolean>();

  /** True for addresses outside private ranges and the cluster's pods and services (cached per address). */
  isExternalAddress(ip: string): boolean {
    let external = this.externalByIp.get(ip);
    if (external === undefined) {
      external = !isPrivateAddress(ip) && !this.isInCluster(ip);
      if (this.externalByIp.size >= 50_000) this.externalByIp.clear();
      this.externalByIp.set(ip, external);
    }
    return external;
  }

  /** True for addresses of the cluster's pods and services. */
  isInCluster(ip: string): boolean {
    return this.inventory.podByIp(ip) !== undefined || this.inventory.serviceByIp(ip) !== undefined;
  }
}
