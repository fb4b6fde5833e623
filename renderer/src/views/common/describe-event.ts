// One line per event, in words a responder reads at a glance.
import type { RuntimeEvent } from '../../../../shared/model/event.js';

export function describeEvent(event: RuntimeEvent): string {
  const who = event.pod ? `${event.pod.namespace}/${event.pod.name}` : 'unattributed';
  const exe = event.process ? event.process.exe.split('/').pop() : '';
  const actor = exe ? `${who} ${exe}` : who;
  switch (event.kind) {
    case 'process.exec':
      return `${actor} ran ${event.process?.args.join(' ') || event.details.filename}`;
    case 'process.exit':
      return `${actor} exited ${event.details.exitCode}`;
    case 'net.connect':
      return `${actor} connected to ${event.details.dnsName ?? event.details.dstIp}:${event.details.dstPort}`;
    case 'net.accept':
      return `${actor} accepted ${event.details.srcIp}:${event.details.srcPort}`;
    case 'net.close':
      return `${actor} closed ${event.details.dnsName ?? event.details.dstIp}:${event.details.dstPort} (${event.details.bytesSent} B out, ${event.details.bytesReceived} B in)`;
    case 'dns.query':
      return `${actor} looked up ${event.details.queryName} ${event.details.queryType}`;
    case 'dns.answer':
      return `${event.details.queryName} → ${event.details.answers.join(', ') || event.details.rcode}`;
    case 'file.open':
      return `${actor} opened ${event.details.path}${event.details.errno ? ` (errno ${event.details.errno})` : ''}`;
    case 'syscall.first':
      return `${actor} first used ${event.details.syscall}`;
    case 'http.request':
      return `${actor} ${event.details.method} ${event.details.host}${event.details.path}${event.details.status ? ` → ${event.details.status}` : ''}`;
    case 'llm.request':
      return `${actor} asked ${event.details.model} at ${event.details.host} (${event.details.messages.length} messages)`;
    case 'llm.response':
      return `${event.details.model} answered${event.details.toolCalls.length ? ` with tool calls ${event.details.toolCalls.map((c) => c.name).join(', ')}` : ''}`;
    case 'workload.classified':
      return `${actor} classified as ${event.details.role}`;
    case 'enforce.verdict':
      return `${event.details.action} ${event.details.protocol} ${event.details.dstIp}:${event.details.dstPort} ×${event.details.count}`;
    case 'k8s.audit':
      return `${event.details.user} ${event.details.verb} ${event.details.resource}${event.details.namespace ? ` in ${event.details.namespace}` : ''} → ${event.details.responseCode ?? '?'}`;
  }
}
