import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectorClient, CollectorError, CollectorProtocolError, type StreamItem } from './collector-client.js';

// A stand-in collector on loopback HTTPS: each test sets how /v1/events answers.
let certPem = '';
let keyPem = '';
let opensslMissing = false;
try {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-client-test-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  certPem = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  keyPem = readFileSync(path.join(dir, 'key.pem'), 'utf8');
} catch {
  opensslMissing = true;
}

type Handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
let server: https.Server;
let url = '';
const requests: string[] = [];

beforeAll(async () => {
  if (opensslMissing) return;
  server = https.createServer({ cert: certPem, key: keyPem }, (req, res) => {
    requests.push(req.url ?? '');
    if (req.headers.authorization !== 'Bearer good-token-good-token') {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'missing or wrong bearer token' }));
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server?.close());

function event(seq: number) {
  return {
    id: `node-1/boot/${seq}`, time: `2026-01-01T00:00:${String(seq).padStart(2, '0')}.000000000Z`, node: 'node-1', source: 'collector',
    kind: 'process.exec', pod: { namespace: 'agents', name: 'a', uid: 'u' }, containerId: 'c'.repeat(64),
    process: { pid: seq, ppid: 1, exe: '/bin/true', args: ['true'] }, details: { filename: '/bin/true' },
  };
}
const line = (seq: number) => `${JSON.stringify({ type: 'event', cursor: String(seq), event: event(seq) })}\n`;

async function collect(stream: AsyncGenerator<StreamItem>): Promise<StreamItem[]> {
  const items: StreamItem[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

describe.skipIf(opensslMissing)('CollectorClient (skipped when openssl is missing)', () => {
  const client = () => new CollectorClient({ url, token: 'good-token-good-token', ca: certPem });

  it('streams validated events until the end marker', async () => {
    handler = (_req, res) => res.end(line(1) + line(2) + '{"type":"end","cursor":"2"}\n');
    const items = await collect(client().events());
    expect(items.map((i) => i.type === 'event' && i.event.id)).toEqual(['node-1/boot/1', 'node-1/boot/2']);
  });

  it('resumes after a dropped connection from the last cursor without losing or repeating events', async () => {
    let call = 0;
    requests.length = 0;
    handler = (_req, res) => {
      call += 1;
      if (call === 1) {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.write(line(1) + line(2) + line(3) + line(4).slice(0, 40));
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      // The collector replays from the cursor it was given; an overlapping event must not reach the consumer twice.
      res.end(line(3) + line(4) + line(5) + '{"type":"end","cursor":"5"}\n');
    };
    const seen: string[] = [];
    let reconnects = 0;
    for await (const item of client().events({ follow: true, maxReconnects: 3 })) {
      if (item.type === 'reconnecting') reconnects += 1;
      if (item.type === 'event') seen.push(item.cursor);
    }
    expect(seen).toEqual(['1', '2', '3', '4', '5']);
    expect(reconnects).toBe(1);
    expect(requests.at(-1)).toContain('after=3');
  });

  it('reports a gap the collector announces instead of hiding it', async () => {
    handler = (_req, res) => res.end('{"type":"gap","cursor":"10","missed":9}\n' + line(11) + '{"type":"end","cursor":"11"}\n');
    const items = await collect(client().events({ after: '0' }));
    expect(items[0]).toEqual({ type: 'gap', cursor: '10', missed: 9 });
    expect(items[1]?.type).toBe('event');
  });

  it('refuses an event that does not match the shared schema', async () => {
    const bad = { ...event(1), kind: 'process.exec', details: { filename: 42 } };
    handler = (_req, res) => res.end(`${JSON.stringify({ type: 'event', cursor: '1', event: bad })}\n`);
    await expect(collect(client().events())).rejects.toBeInstanceOf(CollectorProtocolError);
  });

  it('fails at once with the collector\'s message on a wrong token, without retrying', async () => {
    const wrong = new CollectorClient({ url, token: 'wrong', ca: certPem });
    const error = await collect(wrong.events({ follow: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorError);
    expect((error as CollectorError).status).toBe(401);
    expect((error as Error).message).toContain('bearer token');
  });

  it('validates profile answers and passes error messages through', async () => {
    handler = (_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no profile for pod a/b"}');
    await expect(client().profile('a', 'b')).rejects.toThrow('no profile for pod a/b');
  });
});
