// The one part of a node the lab lacks for port-forward: a kubelet's streaming endpoint. The lab's pods have no
// kubelet, so this stands in for one on 127.0.0.1: the real kube-apiserver upgrades POST …/pods/NAME/portforward
// and proxies it here as the kubelet's GET /portForward/NS/POD?port=P (a WebSocket, v4.channel.k8s.io), and this
// does what the kubelet does — the port on each channel first, then the pod's bytes on channel 0, errors on 1 —
// with "the pod's port" being 127.0.0.1:P on this machine. Everything else on the path is real.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WebSocketServer } from 'ws';

export interface KubeletStandIn {
  port: number;
  /** "NS/POD:PORT" for each stream the API server opened. */
  streams: string[];
  close(): Promise<void>;
}

function selfSignedCertificate(): { cert: string; key: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-kubelet-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=kubelet-stand-in',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  return { cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'), key: readFileSync(path.join(dir, 'key.pem'), 'utf8') };
}

export async function startKubeletStandIn(): Promise<KubeletStandIn> {
  const streams: string[] = [];
  const server = https.createServer(selfSignedCertificate(), (_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, handleProtocols: (protocols) => (protocols.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false) });
  wss.on('connection', (ws, req) => {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const match = /^\/portForward\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    const port = Number(url.searchParams.get('port'));
    if (!match || !(port > 0 && port < 65536)) return ws.close();
    streams.push(`${match[1]}/${match[2]}:${port}`);
    const prefix = (channel: number) => Buffer.from([channel, port & 0xff, port >> 8]);
    ws.send(prefix(0));
    ws.send(prefix(1));
    const socket = net.connect(port, '127.0.0.1');
    socket.on('data', (chunk) => ws.send(Buffer.concat([Buffer.from([0]), chunk])));
    socket.on('error', (error) => {
      ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(`error forwarding port ${port} to pod ${match[2]}: ${error.message}`)]));
      ws.close();
    });
    socket.on('close', () => ws.close());
    ws.on('message', (data: Buffer) => {
      if (data[0] === 0 && data.length > 1) socket.write(data.subarray(1));
    });
    ws.on('close', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    streams,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
