// `vigil events`: the collector's event stream as NDJSON (one normalized event per line), resumable by cursor.
import { CliError, UsageError, type Command } from '../command.js';
import { parseCommandArgs } from '../parse-args.js';
import { CollectorClient, CollectorError } from '../../collector/collector-client.js';
import { collectorTargetOptions, collectorTargetUsage, resolveCollectorTarget } from '../../collector/cli-target.js';
import { checkContextCollectorUsage, connectContextCollector, contextCollectorOptions, contextCollectorUsage } from '../../collector/discovery-cli.js';
import type { RuntimeEvent } from '../../../shared/model/event.js';

const usage = `Usage: vigil events (--lab | --collector URL --token-file F --ca-file F | --context NAME [--node N]) [--since RFC3339 | --after CURSOR] [--follow] [--json]

Prints the events a Vigil collector observed: with --json one normalized event per line (NDJSON: id, time, kind,
pod, containerId, process and the kind's details), else one readable line each. Events are validated against the
shared schema. With --follow the stream stays open and resumes by itself after a disconnect, without losing or
repeating events within the collector's buffer. Gaps (events that left the buffer unread) and reconnects are
reported on stderr; the cursor of the last event printed is on stderr at the end, to resume with --after.

${collectorTargetUsage}
${contextCollectorUsage}
  --since TIME           start at the first buffered event at or after this RFC 3339 time
  --after CURSOR         start after this cursor
  --follow               keep streaming new events
  --json                 NDJSON output`;

function summary(event: RuntimeEvent): string {
  const where = event.pod ? `${event.pod.namespace}/${event.pod.name}` : (event.containerId?.slice(0, 12) ?? 'node');
  const who = event.process ? `${event.process.exe || '?'}[${event.process.pid}]` : '-';
  return `${event.time} ${event.kind} ${where} ${who} ${JSON.stringify(event.details)}`;
}

export const eventsCommand: Command = {
  name: 'events',
  summary: 'stream the events a collector observed (NDJSON with --json)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...collectorTargetOptions,
      ...contextCollectorOptions,
      since: { type: 'string' },
      after: { type: 'string' },
      follow: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (values.since && values.after) throw new UsageError('give either --since or --after, not both');
    let since: Date | undefined;
    if (values.since) {
      since = new Date(values.since);
      if (!/^\d{4}-\d{2}-\d{2}T/.test(values.since) || Number.isNaN(since.getTime())) {
        throw new UsageError(`--since ${values.since} is not an RFC 3339 time (e.g. 2026-01-02T15:04:05Z)`);
      }
    }
    if (values.after !== undefined && !/^[0-9]{1,20}$/.test(values.after)) throw new UsageError('--after takes a cursor (a decimal number)');
    checkContextCollectorUsage(values);
    const connected = values.context ? await connectContextCollector({ ...values, context: values.context }, (line) => io.stderr(`vigil events: ${line}\n`)) : undefined;
    const client = new CollectorClient(connected ? connected.target : resolveCollectorTarget(values));
    let last: string | undefined;
    try {
      for await (const item of client.events({ after: values.after, since, follow: values.follow, signal: io.signal })) {
        if (item.type === 'event') {
          io.stdout(values.json ? `${JSON.stringify(item.event)}\n` : `${summary(item.event)}\n`);
          last = item.cursor;
        } else if (item.type === 'gap') {
          io.stderr(`vigil events: ${item.missed} events left the collector's buffer before they were read (now at cursor ${item.cursor})\n`);
        } else {
          io.stderr(`vigil events: connection lost (${item.reason}); reconnecting to resume after cursor ${item.cursor}\n`);
        }
      }
    } catch (error) {
      if (error instanceof CollectorError) throw new CliError(connected?.tunnelError() ? `${error.message} (${connected.tunnelError()})` : error.message);
      throw error;
    } finally {
      client.close();
      await connected?.close();
    }
    if (last !== undefined) io.stderr(`vigil events: last cursor ${last} (resume with --after ${last})\n`);
    return 0;
  },
};
