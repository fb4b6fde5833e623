// Enforcement in action: the collector's node-level egress program dropped (or, in audit mode, would have dropped) a
// connection. Not an attack by itself, so low severity — but it joins the story of the attack it stopped, through
// the same pod and destination keys the exfiltration and drift signals use, so the narrative says "and here it was
// blocked".
import { entityId, ref, workloadRef } from '../entity-ids.js';
import type { SignalDraft } from '../signal-store.js';
import { baseKeys, where, type Detector, type DetectorContext } from './detector.js';

export class EnforcementBlockDetector implements Detector {
  readonly name = 'enforcement';
  readonly kinds = ['enforce.verdict'] as const;

  onEvent(ctx: DetectorContext, emit: (draft: SignalDraft) => void): void {
    const e = ctx.o.event;
    if (e.kind !== 'enforce.verdict' || !ctx.o.pod || !ctx.o.workload) return;
    const { dstIp, dstPort, protocol, action, count, mode } = e.details;
    const host = ctx.names.dnsNameOf(dstIp) ?? dstIp;
    const dropped = action === 'dropped';
    emit({
      detector: 'enforcement',
      rule: dropped ? 'egress-blocked' : 'egress-would-block',
      dedupeKey: `${ctx.o.pod}|${action}|${dstIp}:${dstPort}`,
      severity: 'low',
      confidence: 1,
      time: e.time,
      workload: ctx.o.workload,
      pod: ctx.o.pod,
      techniques: [],
      summary: dropped
        ? `the node-level egress allowlist of ${where(ctx)} blocked ${count} ${protocol.toUpperCase()} packet(s) to ${host}:${dstPort}`
        : `the egress allowlist of ${where(ctx)}, in ${mode} mode, would have blocked ${count} ${protocol.toUpperCase()} packet(s) to ${host}:${dstPort}`,
      explanation: dropped
        ? `${host}:${dstPort} is outside the destinations this workload is allowed, so Vigil's collector dropped the traffic at the node.`
        : `${host}:${dstPort} is outside the proposed allowlist; in audit mode the traffic still flowed, and the audit lists it for a decision.`,
      eventIds: [e.id],
      entities: [workloadRef(ctx.o.workload), ref('api', entityId.api(host, dstPort), `${host}:${dstPort}`)],
      correlationKeys: [...baseKeys(ctx), `data:egress:${host}`],
    });
  }
}
