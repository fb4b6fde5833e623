import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { kubeConfigForUrl } from '../kube/testing/fake-api-server.js';
import { openPortForward, PortForwardError } from './discovery-port-forward.js';

// A stand-in for the API server's pods/portforward endpoint speaking the v4.channel.k8s.io framing as the kubelet
// does: each channel's first message is its port (two bytes, little-endian), data on channel 0, errors on channel 1.
const upgrades: string[] = [];
let server: http.Server;
let url = '';

function portPrefix(channel: number, port: number): Buffer {
  return Buffer.from([channel, port & 0xff, port >> 8]);
}

function serve(ws: WebSocket, pod: string, port: number): void {
  ws.send(portPrefix(0, port));
  ws.send(portPrefix(1, port));
  if (pod === 'refusing') {
    ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(`error forwarding port ${port} to pod: connection refused`)]));
    ws.close();
    return;
  }
  ws.on('message', (data: Buffer) => {
    if (data[0] !== 0) return;
    const payload = data.subarray(1);
    if (payload.toString() === 'bye') {
      ws.close();
      return;
    }
    // Answer in two frames, upper-cased, so the tunnel must join frames and strip each channel byte.
    const answer = Buffer.from(payload.toString().toUpperCase());
    const half = Math.ceil(answer.length / 2);
    ws.send(Buffer.concat([Buffer.from([0]), answer.subarray(0, half)]));
    ws.send(Buffer.concat([Buffer.from([0]), answer.subarray(half)]));
  });
}

beforeAll(async () => {
  server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({
    server,
    handleProtocols: (protocols) => (protocols.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false),
    verifyClient: ({ req }, done) => {
      upgrades.push(req.url ?? '');
      if (req.url?.includes('/pods/forbidden/')) done(false, 403, 'Forbidden');
      else done(true);
    },
  });
  wss.on('connection', (ws, req) => {
    const match = /\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward\?ports=(\d+)$/.exec(req.url ?? '');
    if (!match) return ws.close();
    serve(ws, match[2]!, Number(match[3]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(() => server?.close());

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

function readUntil(socket: net.Socket, length: number): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.length >= length) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
  });
}

describe('port-forward tunnel through the API server', () => {
  it('carries bytes both ways without the channel bytes or port prefixes, one WebSocket per connection', async () => {
    const tunnel = await openPortForward(kubeConfigForUrl(url), 'vigil-system', 'collector-a', 7443);
    try {
      upgrades.length = 0;
      const socket = await connect(tunnel.port);
      const answer = readUntil(socket, 'hello collector'.length);
      socket.write('hello collector');
      expect(await answer).toBe('HELLO COLLECTOR');
      const second = await connect(tunnel.port);
      const secondAnswer = readUntil(second, 2);
      second.write('ok');
      expect(await secondAnswer).toBe('OK');
      expect(upgrades).toEqual([
        '/api/v1/namespaces/vigil-system/pods/collector-a/portforward?ports=7443',
        '/api/v1/namespaces/vigil-system/pods/collector-a/portforward?ports=7443',
      ]);
      // The pod side ending the stream ends the local connection (client-node alone leaves it open).
      const ended = new Promise<void>((resolve) => socket.on('end', resolve));
      socket.write('bye');
      await ended;
      second.destroy();
    } finally {
      await tunnel.close();
    }
  });

  it("keeps the kubelet's error text when the pod's port refuses, and closes the local connection", async () => {
    const tunnel = await openPortForward(kubeConfigForUrl(url), 'vigil-system', 'refusing', 7443);
    try {
      const socket = await connect(tunnel.port);
      await new Promise<void>((resolve) => socket.on('close', () => resolve()));
      expect(tunnel.lastError()).toBe('port-forward to vigil-system/refusing:7443 through the API server: error forwarding port 7443 to pod: connection refused');
    } finally {
      await tunnel.close();
    }
  });

  it('fails up front, in words, when the API server refuses the upgrade', async () => {
    const error = await openPortForward(kubeConfigForUrl(url), 'vigil-system', 'forbidden', 7443).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortForwardError);
    expect((error as Error).message).toBe('port-forward to vigil-system/forbidden:7443 through the API server failed: Unexpected server response: 403');
  });
});
