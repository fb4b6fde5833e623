// The destinations a soft quarantine keeps allowed: what the workload's learned baseline says it talks to
// (`proto:ip:port`), as NetworkPolicy peers with the reason recorded. DNS is always allowed by the executor.
import type { QuarantinePeer } from '../../../shared/model/action.js';

export function peersFromBaseline(egressAddresses: readonly string[]): QuarantinePeer[] {
  const peers: QuarantinePeer[] = [];
  for (const address of egressAddresses) {
    const match = /^(tcp|udp):(.+):(\d+)$/.exec(address);
    if (!match) continue;
    const [, proto, host, port] = match;
    const v6 = host!.includes(':');
    if (!/^[0-9a-f:.]+$/i.test(host!)) continue;
    peers.push({
      cidr: `${host}/${v6 ? 128 : 32}`,
      ports: [{ protocol: proto === 'udp' ? 'UDP' : 'TCP', port: Number(port) }],
      reason: `observed in the baseline: ${address}`,
    });
  }
  return peers;
}
