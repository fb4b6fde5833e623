// Reads a Kubernetes audit log file (JSON lines) line by line, so a large log never sits in memory whole.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { auditLineToEvent, type AuditEvent } from './audit-events.js';

export interface AuditLogRead {
  file: string;
  events: AuditEvent[];
  lines: number;
  skipped: Record<string, number>;
}

export async function readAuditLog(file: string, filter?: (event: AuditEvent) => boolean): Promise<AuditLogRead> {
  const events: AuditEvent[] = [];
  const skipped: Record<string, number> = {};
  let lines = 0;
  const input = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of input) {
    if (line.trim() === '') continue;
    lines++;
    const result = auditLineToEvent(line);
    if ('skipped' in result) skipped[result.skipped] = (skipped[result.skipped] ?? 0) + 1;
    else if (!filter || filter(result.event)) events.push(result.event);
  }
  if (lines > 0 && (skipped['not-json'] ?? 0) + (skipped['not-an-audit-event'] ?? 0) === lines) {
    throw new Error(`${file} holds no Kubernetes audit events (expected JSON lines of audit.k8s.io Event objects)`);
  }
  return { file, events, lines, skipped };
}
