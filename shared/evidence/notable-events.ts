// Which events a report lists by name: the ones a reviewer looks for first. Everything else is counted by kind.
import type { RuntimeEvent } from '../model/event.js';
import type { ReportEvent } from './html-report.js';

const SHELLS = /\/(?:ba|da|z|k)?sh$/;

/** A one-line description of a notable event, or undefined when the event is routine. */
export function notableSummary(event: RuntimeEvent): string | undefined {
  switch (event.kind) {
    case 'file.open':
      return event.details.category === 'other' ? undefined : `read ${event.details.category} ${event.details.path}${event.details.errno ? ` (failed, errno ${event.details.errno})` : ''}`;
    case 'enforce.verdict':
      return `${event.details.action === 'dropped' ? 'egress dropped' : 'egress would be dropped (audit)'} to ${event.details.dstIp}:${event.details.dstPort} ×${event.details.count}`;
    case 'llm.response':
      return event.details.toolCalls.length ? `model asked for tool ${event.details.toolCalls.map((c) => c.name).join(', ')}` : undefined;
    case 'k8s.audit':
      return event.details.responseCode !== undefined && event.details.responseCode >= 400
        ? `${event.details.user} was refused ${event.details.verb} ${event.details.resource}${event.details.namespace ? ` in ${event.details.namespace}` : ''} (${event.details.responseCode})`
        : undefined;
    case 'process.exec':
      return SHELLS.test(event.details.filename) ? `shell started: ${event.process?.args.join(' ') || event.details.filename}` : undefined;
    case 'workload.classified':
      return `classified as ${event.details.role}`;
    default:
      return undefined;
  }
}

export function toReportEvent(event: RuntimeEvent, summary: string): ReportEvent {
  return { id: event.id, time: event.time, kind: event.kind, where: event.pod ? `${event.pod.namespace}/${event.pod.name}` : event.node, summary };
}
