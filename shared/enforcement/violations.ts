// Audit-mode violations: what the proposed policies would have refused while they ran in audit mode. They come
// from the engine's audit replay of each policy over the events since the audit started (network, seccomp, RBAC)
// and from the collector's own audit verdicts at the node. The same refusal seen many times is one violation with a
// count, first/last seen and (a bounded list of) the events behind it.
import type { RuntimeEvent } from '../model/event.js';
import type { PolicyKind, ReplayResult } from '../model/policy.js';
import { shortHash } from '../engine/stable-hash.js';

export const MAX_EVIDENCE_IDS = 20;

export interface AuditViolation {
  /** Stable across runs: the kind and what was refused. */
  id: string;
  kind: PolicyKind;
  /** In plain words: `egress tcp 203.0.113.66:443`, `syscall ptrace by /usr/bin/python3`. */
  what: string;
  policy: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  eventIds: string[];
  pods: string[];
  /** Where the refusal was seen: the replay of recorded events, the collector's node-level audit, or both. */
  sources: ('replay' | 'node-audit')[];
}

export type ViolationDecision = {
  violationId: string;
  decision: 'accepted' | 'suspicious';
  by: string;
  at: string;
  reason: string;
};

function violationId(kind: PolicyKind, what: string): string {
  return `v-${kind}-${shortHash(`${kind}|${what}`)}`;
}

/** Node-level audit verdicts (enforce.verdict, mode audit) of the workload's pods, worded as the replay words them. */
function nodeAuditWhat(event: Extract<RuntimeEvent, { kind: 'enforce.verdict' }>): string {
  return `egress ${event.details.protocol} ${event.details.dstIp}:${event.details.dstPort}`;
}

export function collectViolations(replays: readonly { kind: PolicyKind; result: ReplayResult }[], nodeVerdicts: readonly RuntimeEvent[] = []): AuditViolation[] {
  const byId = new Map<string, AuditViolation>();
  const add = (kind: PolicyKind, what: string, policy: string, eventId: string, time: string, pod: string | null, count: number, source: AuditViolation['sources'][number]) => {
    const id = violationId(kind, what);
    let violation = byId.get(id);
    if (!violation) {
      violation = { id, kind, what, policy, firstSeen: time, lastSeen: time, count: 0, eventIds: [], pods: [], sources: [] };
      byId.set(id, violation);
    }
    violation.count += count;
    if (time < violation.firstSeen) violation.firstSeen = time;
    if (time > violation.lastSeen) violation.lastSeen = time;
    if (violation.eventIds.length < MAX_EVIDENCE_IDS && !violation.eventIds.includes(eventId)) violation.eventIds.push(eventId);
    if (pod && !violation.pods.includes(pod)) violation.pods.push(pod);
    if (!violation.sources.includes(source)) violation.sources.push(source);
  };
  for (const { kind, result } of replays) {
    for (const block of result.blocked) add(kind, block.what, block.policy, block.eventId, block.time, block.pod, 1, 'replay');
  }
  for (const event of nodeVerdicts) {
    if (event.kind !== 'enforce.verdict' || event.details.mode !== 'audit') continue;
    const pod = event.pod ? `${event.pod.namespace}/${event.pod.name}` : null;
    add('networkpolicy', nodeAuditWhat(event), 'node egress allowlist (audit)', event.id, event.time, pod, event.details.count, 'node-audit');
  }
  return [...byId.values()]
    .map((v) => ({ ...v, pods: [...v.pods].sort() }))
    .sort((a, b) => (a.firstSeen < b.firstSeen ? -1 : a.firstSeen > b.firstSeen ? 1 : a.id < b.id ? -1 : 1));
}

/** Violations nobody has decided on yet: each blocks promotion. The latest decision on a violation counts. */
export function unresolvedViolations(violations: readonly AuditViolation[], decisions: readonly ViolationDecision[]): AuditViolation[] {
  const decided = new Set(decisions.map((d) => d.violationId));
  return violations.filter((v) => !decided.has(v.id));
}

export function latestDecisions(decisions: readonly ViolationDecision[]): Map<string, ViolationDecision> {
  const latest = new Map<string, ViolationDecision>();
  for (const d of [...decisions].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))) latest.set(d.violationId, d);
  return latest;
}
