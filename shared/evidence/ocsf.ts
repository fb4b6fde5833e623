// Vigil events and stories as OCSF 1.3.0 events (https://schema.ocsf.io/1.3.0): Process Activity (1007), Network
// Activity (4001), File System Activity (1001) and Detection Finding (2004). Each record carries the base event's
// required attributes (activity_id, category_uid, class_uid, type_uid = class_uid*100 + activity_id, time in epoch
// ms, severity_id, metadata with product and version) and its class's required objects (actor + device + process,
// actor + device + file, src_endpoint + dst_endpoint, finding_info). Event kinds with no class among these four
// (DNS, HTTP, LLM traffic, syscalls, audit records) are not mapped: `toOcsf` returns null and the caller counts them.
import { z } from 'zod';
import type { ProcessRef, RuntimeEvent } from '../model/event.js';

export const OCSF_VERSION = '1.3.0';

export interface OcsfProduct {
  name: string;
  vendor_name: string;
  version: string;
}

type OcsfRecord = Record<string, unknown>;

const SEVERITY = { informational: 1, info: 1, low: 2, medium: 3, high: 4, critical: 5 } as const;
const SEVERITY_NAME = ['Unknown', 'Informational', 'Low', 'Medium', 'High', 'Critical'];

/** RFC 3339 (nanoseconds allowed) to epoch milliseconds; OCSF `time` is a timestamp in ms. */
export function epochMillis(time: string): number {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) throw new Error(`'${time}' is not an RFC 3339 time`);
  return ms;
}

function classification(categoryUid: number, categoryName: string, classUid: number, className: string, activityId: number, activityName: string) {
  return {
    category_uid: categoryUid,
    category_name: categoryName,
    class_uid: classUid,
    class_name: className,
    activity_id: activityId,
    activity_name: activityName,
    type_uid: classUid * 100 + activityId,
    type_name: `${className}: ${activityName}`,
  };
}

function metadata(product: OcsfProduct, uid: string, originalTime: string, logName: string) {
  return { version: OCSF_VERSION, product, uid, original_time: originalTime, log_name: logName };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

function ocsfProcess(process: ProcessRef, containerId: string | null, pod: RuntimeEvent['pod']) {
  return {
    pid: process.pid,
    name: baseName(process.exe),
    cmd_line: process.args.join(' '),
    file: { name: baseName(process.exe), path: process.exe, type_id: 1, type: 'Regular File' },
    parent_process: { pid: process.ppid },
    ...(process.uid !== undefined ? { user: { uid: String(process.uid) } } : {}),
    ...(containerId ? { container: { uid: containerId, ...(pod ? { pod_uuid: pod.uid } : {}), orchestrator: 'Kubernetes' } } : {}),
  };
}

function device(event: RuntimeEvent) {
  return { type_id: 1, type: 'Server', hostname: event.node, name: event.node };
}

/** The acting process, or an unknown-process placeholder that says so (actor is required, the kernel may not tell). */
function actor(event: RuntimeEvent) {
  return event.process ? { process: ocsfProcess(event.process, event.containerId, event.pod) } : { app_name: `unknown process on ${event.node}` };
}

function kubernetesContext(event: RuntimeEvent) {
  return event.pod ? { unmapped: { k8s_namespace: event.pod.namespace, k8s_pod: event.pod.name, k8s_pod_uid: event.pod.uid, vigil_event_id: event.id } } : { unmapped: { vigil_event_id: event.id } };
}

function informational(event: RuntimeEvent, product: OcsfProduct) {
  return {
    time: epochMillis(event.time),
    severity_id: SEVERITY.informational,
    severity: SEVERITY_NAME[SEVERITY.informational],
    metadata: metadata(product, event.id, event.time, event.source),
    ...kubernetesContext(event),
  };
}

const PROTOCOL_NUMBER = { tcp: 6, udp: 17, other: 0 } as const;

/** One Vigil event as an OCSF record, or null when its kind belongs to none of the four exported classes. */
export function toOcsf(event: RuntimeEvent, product: OcsfProduct): OcsfRecord | null {
  switch (event.kind) {
    case 'process.exec':
    case 'process.exit': {
      const launch = event.kind === 'process.exec';
      const target = event.process ?? { pid: 0, ppid: 0, exe: launch ? event.details.filename : 'unknown', args: [] };
      return {
        ...classification(1, 'System Activity', 1007, 'Process Activity', launch ? 1 : 2, launch ? 'Launch' : 'Terminate'),
        ...informational(event, product),
        actor: launch ? { process: { pid: target.ppid } } : { process: ocsfProcess(target, event.containerId, event.pod) },
        device: device(event),
        process: ocsfProcess(target, event.containerId, event.pod),
        ...(event.kind === 'process.exit' ? { exit_code: event.details.exitCode } : {}),
        message: launch ? `${event.details.filename} started` : `${target.exe} exited with ${event.details.exitCode}`,
      };
    }
    case 'file.open': {
      const d = event.details;
      return {
        ...classification(1, 'System Activity', 1001, 'File System Activity', 14, 'Open'),
        ...informational(event, product),
        ...(d.category !== 'other' ? { severity_id: SEVERITY.low, severity: SEVERITY_NAME[SEVERITY.low] } : {}),
        actor: actor(event),
        device: device(event),
        file: { name: baseName(d.path), path: d.path, type_id: 1, type: 'Regular File' },
        status_id: d.errno === 0 ? 1 : 2,
        status: d.errno === 0 ? 'Success' : 'Failure',
        ...(d.errno !== 0 ? { status_code: String(d.errno) } : {}),
        message: `opened ${d.path} (${d.category})`,
      };
    }
    case 'net.connect':
    case 'net.accept':
    case 'net.close': {
      const d = event.details;
      const opened = event.kind !== 'net.close';
      const inbound = event.kind === 'net.accept';
      return {
        ...classification(4, 'Network Activity', 4001, 'Network Activity', opened ? 1 : 2, opened ? 'Open' : 'Close'),
        ...informational(event, product),
        actor: actor(event),
        device: device(event),
        src_endpoint: { ip: d.srcIp, port: d.srcPort },
        dst_endpoint: { ip: d.dstIp, port: d.dstPort, ...(d.dnsName ? { hostname: d.dnsName } : {}) },
        connection_info: {
          protocol_name: d.protocol,
          protocol_num: PROTOCOL_NUMBER[d.protocol],
          protocol_ver_id: d.family,
          direction_id: inbound ? 1 : 2,
          direction: inbound ? 'Inbound' : 'Outbound',
        },
        ...(event.kind === 'net.close' ? { traffic: { bytes_out: event.details.bytesSent, bytes_in: event.details.bytesReceived, bytes: event.details.bytesSent + event.details.bytesReceived } } : {}),
      };
    }
    case 'enforce.verdict': {
      const d = event.details;
      const dropped = d.action === 'dropped';
      return {
        ...classification(4, 'Network Activity', 4001, 'Network Activity', dropped ? 5 : 6, dropped ? 'Refuse' : 'Traffic'),
        ...informational(event, product),
        actor: actor(event),
        device: device(event),
        src_endpoint: event.pod ? { name: event.pod.name, namespace: event.pod.namespace } : { hostname: event.node },
        dst_endpoint: { ip: d.dstIp, port: d.dstPort },
        connection_info: { protocol_name: d.protocol, protocol_num: PROTOCOL_NUMBER[d.protocol], direction_id: 2, direction: 'Outbound' },
        action_id: dropped ? 2 : 1,
        action: dropped ? 'Denied' : 'Allowed',
        disposition_id: dropped ? 2 : 1,
        disposition: dropped ? 'Blocked' : 'Allowed',
        count: d.count,
        message: dropped ? `egress dropped by Vigil's node enforcement (${d.count}×)` : `egress would have been dropped (audit mode, ${d.count}×)`,
      };
    }
    default:
      return null;
  }
}

/** The story shape Vigil writes to stories.json (`vigil stories --json`, shared/model/story.ts StoryJson). */
export const storyForOcsfSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    severity: z.string(),
    score: z.number().optional(),
    techniques: z.array(z.string()).default([]),
    steps: z.array(z.object({ time: z.string(), summary: z.string(), eventIds: z.array(z.string()) }).loose()),
    entities: z.array(z.object({ kind: z.string().optional(), id: z.string().optional(), label: z.string().optional() }).loose()).default([]),
    narrative: z.string().default(''),
  })
  .loose();
export type StoryForOcsf = z.infer<typeof storyForOcsfSchema>;

function severityId(severity: string): number {
  return (SEVERITY as Record<string, number>)[severity.toLowerCase()] ?? 99;
}

/** A story as a Detection Finding: one finding per story, each step's events as related events. */
export function storyToDetectionFinding(story: StoryForOcsf, product: OcsfProduct, exportedAt: string): OcsfRecord {
  const times = story.steps.map((s) => s.time).sort();
  const first = times[0] ?? exportedAt;
  const last = times.at(-1) ?? exportedAt;
  const sev = severityId(story.severity);
  return {
    ...classification(2, 'Findings', 2004, 'Detection Finding', 1, 'Create'),
    time: epochMillis(first),
    severity_id: sev,
    severity: sev === 99 ? story.severity : SEVERITY_NAME[sev],
    metadata: metadata(product, story.id, first, 'stories'),
    is_alert: true,
    status_id: 1,
    status: 'New',
    message: story.title,
    finding_info: {
      uid: story.id,
      title: story.title,
      desc: story.narrative,
      first_seen_time: epochMillis(first),
      last_seen_time: epochMillis(last),
      types: ['Attack story'],
      attacks: story.techniques.map((technique) => ({ technique: { uid: technique } })),
      related_events: story.steps.flatMap((step) => step.eventIds.map((uid) => ({ uid, product_uid: product.name, message: step.summary }))),
      analytic: { name: 'Vigil story correlator', type_id: 1, type: 'Rule' },
    },
    resources: story.entities.map((entity) => ({ uid: entity.id, name: entity.label, type: entity.kind })),
    start_time: epochMillis(first),
    end_time: epochMillis(last),
  };
}
