// A local port that reaches a pod's port through the API server (POST …/pods/NAME/portforward, upgraded to a
// WebSocket with the v4.channel.k8s.io framing: every message starts with its channel byte — 0 data, 1 errors — and
// each channel's first message carries the port number in two little-endian bytes). client-node's PortForward does
// the framing; this adds what it leaves out: one WebSocket per local connection (as kubectl opens one stream pair
// per connection), the end of the WebSocket ending the local socket, and the error channel's text kept so a failure
// says what the kubelet said. Listens on 127.0.0.1 only.
import net from 'node:net';
import { PassThrough, Writable, type Readable } from 'node:stream';
import { PortForward, type KubeConfig } from '@kubernetes/client-node';

export interface PortForwardTunnel {
  /** The local end: 127.0.0.1:port. */
  host: string;
  port: number;
  /** What the last failed connection reported (upgrade refused, kubelet error text), for messages. */
  lastError(): string | undefined;
  close(): Promise<void>;
}

export class PortForwardError extends Error {
  override name = 'PortForwardError';
}

interface WebSocketLike {
  close(): void;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): void;
}

/** The failure of an upgrade as the ws library reports it ("Unexpected server response: 403"), or any error. */
function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string' && error.message) return error.message;
  if (error && typeof error === 'object' && 'error' in error) return describe(error.error);
  return String(error);
}

export async function openPortForward(
  kubeConfig: KubeConfig,
  namespace: string,
  pod: string,
  remotePort: number,
  options: { forwarder?: PortForward } = {},
): Promise<PortForwardTunnel> {
  const forwarder = options.forwarder ?? new PortForward(kubeConfig);
  const what = `port-forward to ${namespace}/${pod}:${remotePort} through the API server`;
  let lastError: string | undefined;
  const sockets = new Set<net.Socket>();

  const connect = async (input: Readable, output: Writable, errors: { text: string }) => {
    const errorSink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        errors.text += chunk.toString('utf8');
        done();
      },
    });
    return (await forwarder.portForward(namespace, pod, [remotePort], output, errorSink, input)) as unknown as WebSocketLike;
  };

  // One connection up front, closed at once: a refused upgrade (no rights, no such pod, kubelet unreachable) is
  // reported here, in words, instead of as a reset socket later.
  try {
    const probe = await connect(new PassThrough(), new PassThrough(), { text: '' });
    probe.close();
  } catch (error) {
    throw new PortForwardError(`${what} failed: ${describe(error)}`);
  }

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.pause();
    const fromPod = new PassThrough();
    const errors = { text: '' };
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    connect(socket, fromPod, errors).then(
      (webSocket) => {
        fromPod.pipe(socket);
        webSocket.on('close', () => {
          if (errors.text) {
            lastError = `${what}: ${errors.text.trim()}`;
            socket.destroy();
          } else {
            fromPod.end();
          }
        });
        socket.on('close', () => webSocket.close());
        socket.resume();
      },
      (error: unknown) => {
        lastError = `${what} failed: ${describe(error)}`;
        socket.destroy();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    lastError: () => lastError,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
