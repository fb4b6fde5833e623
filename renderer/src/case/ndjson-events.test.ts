import { describe, expect, it } from 'vitest';
import { CaseFileError, NdjsonEventReader } from './ndjson-events.js';

const exec = (id: string) =>
  JSON.stringify({
    id, time: '2026-11-21T10:00:00.000000001Z', node: 'lab-node-1', source: 'collector', kind: 'process.exec',
    pod: { namespace: 'agents', name: 'research-agent-1', uid: 'u1' }, containerId: 'c1',
    process: { pid: 10, ppid: 1, exe: '/bin/sh', args: ['sh', '-c', 'id'] }, details: { filename: '/bin/sh' },
  });

describe('NdjsonEventReader', () => {
  it('reads events across chunk boundaries, CRLF and a missing final newline', () => {
    const reader = new NdjsonEventReader('case.ndjson');
    const text = `${exec('a')}\r\n\n${exec('b')}\n${exec('c')}`;
    const events = [...reader.push(text.slice(0, 37)), ...reader.push(text.slice(37)), ...reader.finish()];
    expect(events.map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(reader.linesRead).toBe(4);
  });

  it('names the file and line of a line that is not JSON', () => {
    const reader = new NdjsonEventReader('case.ndjson');
    expect(() => reader.push(`${exec('a')}\n{oops\n`)).toThrow(/case\.ndjson, line 2: not JSON.*Nothing was imported/);
  });

  it('names the field of a line that is not an event', () => {
    const reader = new NdjsonEventReader('x.ndjson');
    const bad = JSON.parse(exec('a')) as Record<string, unknown>;
    bad.kind = 'process.teleport';
    const error = (() => {
      try {
        reader.push(`${JSON.stringify(bad)}\n`);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CaseFileError);
    expect((error as CaseFileError).line).toBe(1);
    expect((error as CaseFileError).problem).toMatch(/^not a Vigil event: kind/);
  });

  it('refuses a duplicate event id', () => {
    const reader = new NdjsonEventReader('x.ndjson');
    expect(() => reader.push(`${exec('a')}\n${exec('a')}\n`)).toThrow(/line 2: event id a appears twice/);
  });
});
