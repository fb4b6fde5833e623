// Cryptomining: miner binaries or stratum URLs on a command line, connections to mining-pool ports, lookups of pool
// host names. Any one indicator is medium; two or more in the same pod are high.
import { entityId, processRef, ref, workloadRef } from '../entity-ids.js';
import { baseName, isPrivateAddress } from '../observed-names.js';
import { techniques } from '../techniques.js';
import { memoized } from '../memo.js';
import type { SignalDraft } from '../signal-store.js';
import { baseKeys, where, type Detector, type DetectorContext } from './detector.js';

const MINER_BINARIES = new Set(['xmrig', 'minerd', 'cpuminer', 'ethminer', 't-rex', 'nbminer', 'xmr-stak', 'lolminer', 'phoenixminer']);
const STRATUM = /stratum\+(?:tcp|ssl|tls):\/\//i;
const POOL_PORTS = new Set([3333, 4444, 5555, 7777, 14433, 14444, 45700]);
const POOL_NAMES = /(?:^|[.-])(?:pool|mining|xmr|monero|nicehash|minexmr|supportxmr|nanopool|2miners)(?:[.-]|$)/i;
/** Whether a DNS query name looks like a mining pool's (outside the cluster's own names), once per distinct name. */
const isPoolName = memoized((name) => POOL_NAMES.test(name) && !/cluster\.local\.?$/.test(name));

export class CryptominingDetector implements Detector {
  readonly name = 'cryptomining';
  readonly kinds = ['process.exec', 'net.connect', 'dns.query'] as const;
  private readonly indicators = new Map<string, Set<string>>();

  onEvent(ctx: DetectorContext, emit: (draft: SignalDraft) => void): void {
    const e = ctx.o.event;
    if (!ctx.o.workload) return;
    let indicator: string | null = null;
    const entities = [];
    if (e.kind === 'process.exec') {
      const exe = e.process?.exe ?? e.details.filename;
      const args = e.process?.args.join(' ') ?? '';
      if (MINER_BINARIES.has(baseName(exe).toLowerCase())) indicator = `ran the miner ${baseName(exe)}`;
      else if (STRATUM.test(args)) indicator = `ran ${baseName(exe)} with a stratum pool URL`;
      if (indicator) entities.push(processRef(ctx.o.workload, exe));
    } else if (e.kind === 'net.connect' && POOL_PORTS.has(e.details.dstPort) && !isPrivateAddress(e.details.dstIp)) {
      const host = e.details.dnsName ?? ctx.names.dnsNameOf(e.details.dstIp) ?? e.details.dstIp;
      indicator = `connected to ${host}:${e.details.dstPort}, a mining-pool port`;
      entities.push(ref('api', entityId.api(host, e.details.dstPort), `${host}:${e.details.dstPort}`));
    } else if (e.kind === 'dns.query' && isPoolName(e.details.queryName)) {
      indicator = `looked up ${e.details.queryName}`;
    }
    if (!indicator) return;
    const key = ctx.o.pod ?? ctx.o.workload;
    let seen = this.indicators.get(key);
    if (!seen) this.indicators.set(key, (seen = new Set()));
    seen.add(indicator);
    const strong = seen.size >= 2;
    emit({
      detector: 'cryptomining',
      rule: 'mining-activity',
      dedupeKey: key,
      replaceText: true,
      severity: strong ? 'high' : 'medium',
      confidence: strong ? 0.9 : 0.6,
      time: e.time,
      workload: ctx.o.workload,
      pod: ctx.o.pod,
      techniques: techniques('resourceHijacking'),
      summary: `${where(ctx)} is mining cryptocurrency: it ${[...seen].join('; ')}`,
      explanation: 'Miner binaries, stratum URLs, pool host names and pool ports are the fingerprints of cryptojacking: someone else is spending this cluster\'s CPU.',
      eventIds: [e.id],
      entities: [workloadRef(ctx.o.workload), ...entities],
      correlationKeys: baseKeys(ctx),
    });
  }
}
