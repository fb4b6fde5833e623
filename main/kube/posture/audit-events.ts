// Kubernetes audit log lines (audit.k8s.io/v1 Event, JSON lines as --audit-log-path writes them) → `k8s.audit`
// events. Only completed requests count (stage ResponseComplete or Panic), so a request logged at several stages is
// one call. Non-resource requests (/version, /healthz, discovery) are left out: every client makes them and the
// posture is about resources. Pure: no Node API.
import type { EventOfKind } from '../../../shared/model/event.js';

export type AuditEvent = EventOfKind<'k8s.audit'>;

interface RawAuditEvent {
  kind?: string;
  apiVersion?: string;
  auditID?: string;
  stage?: string;
  verb?: string;
  requestURI?: string;
  user?: { username?: string; groups?: string[] };
  impersonatedUser?: { username?: string; groups?: string[] };
  sourceIPs?: string[];
  userAgent?: string;
  objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string; apiGroup?: string };
  responseStatus?: { code?: number };
  requestReceivedTimestamp?: string;
  stageTimestamp?: string;
}

export type AuditLineResult = { event: AuditEvent } | { skipped: 'not-json' | 'not-an-audit-event' | 'incomplete-stage' | 'non-resource' };

const clip = (text: string | undefined, max: number) => (text === undefined ? undefined : text.slice(0, max));

export function auditLineToEvent(line: string): AuditLineResult {
  let raw: RawAuditEvent;
  try {
    raw = JSON.parse(line) as RawAuditEvent;
  } catch {
    return { skipped: 'not-json' };
  }
  if (typeof raw !== 'object' || raw === null || raw.kind !== 'Event' || !raw.apiVersion?.startsWith('audit.k8s.io/') || !raw.auditID || !raw.verb) {
    return { skipped: 'not-an-audit-event' };
  }
  if (raw.stage !== 'ResponseComplete' && raw.stage !== 'Panic') return { skipped: 'incomplete-stage' };
  if (!raw.objectRef?.resource) return { skipped: 'non-resource' };
  // An impersonated request is authorised as the impersonated user, so that is whose permissions it used.
  const who = raw.impersonatedUser?.username ? raw.impersonatedUser : raw.user;
  const ref = raw.objectRef;
  const event: AuditEvent = {
    id: clip(`audit/${raw.auditID}`, 128)!,
    time: clip(raw.stageTimestamp ?? raw.requestReceivedTimestamp ?? '', 40)!,
    node: 'apiserver',
    source: 'k8s-audit',
    pod: null,
    containerId: null,
    process: null,
    kind: 'k8s.audit',
    details: {
      user: clip(who?.username ?? '', 512)!,
      groups: (who?.groups ?? []).slice(0, 64).map((g) => g.slice(0, 256)),
      verb: raw.verb.slice(0, 32),
      resource: ref.resource!.slice(0, 253),
      ...(ref.subresource ? { subresource: ref.subresource.slice(0, 253) } : {}),
      apiGroup: (ref.apiGroup ?? '').slice(0, 253),
      ...(ref.namespace ? { namespace: ref.namespace.slice(0, 253) } : {}),
      ...(ref.name ? { name: ref.name.slice(0, 253) } : {}),
      ...(raw.responseStatus?.code !== undefined ? { responseCode: raw.responseStatus.code } : {}),
      ...(raw.userAgent ? { userAgent: raw.userAgent.slice(0, 1024) } : {}),
      ...(raw.sourceIPs?.[0] ? { sourceIp: raw.sourceIPs[0].slice(0, 64) } : {}),
    },
  };
  return { event };
}
