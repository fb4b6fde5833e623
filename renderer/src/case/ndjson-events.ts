// Reads a case file of events, one JSON object per line (NDJSON, the format `vigil` and the collector write), and
// validates every line against the event schema. The first bad line stops the read with an error that names the
// line and what was wrong; the caller imports nothing in that case.
import { runtimeEventSchema, type RuntimeEvent } from '../../../shared/model/event.js';

export class CaseFileError extends Error {
  override name = 'CaseFileError';
  constructor(
    readonly fileName: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${fileName}, line ${line}: ${problem}. Nothing was imported.`);
  }
}

export class NdjsonEventReader {
  private pending = '';
  private lineNumber = 0;
  private readonly seen = new Set<string>();

  constructor(private readonly fileName: string) {}

  /** Feeds a chunk of text; returns the events of the lines it completed. */
  push(text: string): RuntimeEvent[] {
    this.pending += text;
    const events: RuntimeEvent[] = [];
    let newline: number;
    let from = 0;
    while ((newline = this.pending.indexOf('\n', from)) >= 0) {
      this.take(this.pending.slice(from, newline), events);
      from = newline + 1;
    }
    this.pending = this.pending.slice(from);
    return events;
  }

  /** Ends the file: the last line may lack its newline. */
  finish(): RuntimeEvent[] {
    const events: RuntimeEvent[] = [];
    if (this.pending.length) this.take(this.pending, events);
    this.pending = '';
    return events;
  }

  get linesRead(): number {
    return this.lineNumber;
  }

  private take(rawLine: string, into: RuntimeEvent[]): void {
    this.lineNumber++;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new CaseFileError(this.fileName, this.lineNumber, `not JSON (${(error as Error).message})`);
    }
    const parsed = runtimeEventSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.map(String).join('.') || '(the line)';
      throw new CaseFileError(this.fileName, this.lineNumber, `not a Vigil event: ${where}: ${issue.message}`);
    }
    if (this.seen.has(parsed.data.id)) throw new CaseFileError(this.fileName, this.lineNumber, `event id ${parsed.data.id} appears twice`);
    this.seen.add(parsed.data.id);
    into.push(parsed.data);
  }
}
