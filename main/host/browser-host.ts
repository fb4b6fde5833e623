// The browser host: serves the built renderer and the contract over HTTP on loopback so the workbench runs in any
// browser (and in Playwright) exactly as it does in Electron. Guarded by a random per-run token:
//   - GET /?token=T sets an HttpOnly, SameSite=Strict cookie and redirects to / (the token leaves the URL);
//   - every other request needs that cookie or `Authorization: Bearer T`, else 401 with no data;
//   - the Host header must name the loopback address we bound, so a DNS-rebinding page cannot reach us.
// API: POST /api/call/<channel> with a JSON body → 200 JSON, or an ApiErrorBody with 400/404/500.
//      POST /api/stream/<channel> with JSON params → NDJSON lines {"item": ...} ... ending with {"end": true} or
//      {"error": ApiErrorBody}; closing the request cancels the stream.
import http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ApiError, type ApiErrorBody } from '../../shared/api/contract-kit.js';
import type { Gateway } from '../gateway/gateway.js';
import { contentSecurityPolicy } from '../../shared/api/content-security-policy.js';

const MAX_BODY_BYTES = 1024 * 1024;
const COOKIE = 'vigil_token';

export interface BrowserHostOptions {
  gateway: Gateway<Record<string, never>> | Gateway<any>;
  rendererDir: string;
  port?: number;
  /** Only loopback addresses are accepted: the token is the only guard, so the socket must not face a network. */
  host?: '127.0.0.1' | '::1';
  token?: string;
}

export interface BrowserHost {
  url: string;
  token: string;
  /** The URL to open: carries the token once, then the cookie takes over. */
  openUrl: string;
  close(): Promise<void>;
}

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const bindHost = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(32).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`the workbench is not built: ${path.join(rendererDir, 'index.html')} is missing (run 'make build')`);
  }
  const gateway = options.gateway as Gateway<any>;
  let allowedHosts: Set<string> = new Set();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { code: 'failed', message: String((error as Error)?.message ?? error) });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    if (!allowedHosts.has(req.headers.host ?? '')) {
      sendJson(res, 421, { code: 'forbidden', message: 'unexpected Host header; Vigil answers only on its loopback address' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const offered = url.searchParams.get('token');
    if (req.method === 'GET' && url.pathname === '/' && offered !== null) {
      if (!sameToken(offered, token)) return unauthorized(res);
      res.statusCode = 303;
      res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      res.setHeader('Location', '/');
      res.end();
      return;
    }
    if (!authorized(req, token)) return unauthorized(res);

    if (url.pathname.startsWith('/api/call/') && req.method === 'POST') {
      const channel = decodeURIComponent(url.pathname.slice('/api/call/'.length));
      await answerCall(gateway, channel, req, res);
      return;
    }
    if (url.pathname.startsWith('/api/stream/') && req.method === 'POST') {
      const channel = decodeURIComponent(url.pathname.slice('/api/stream/'.length));
      await answerStream(gateway, channel, req, res);
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      serveStatic(rendererDir, url.pathname, req, res);
      return;
    }
    sendJson(res, 405, { code: 'bad-request', message: `${req.method} ${url.pathname} is not supported` });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const authority = bindHost.includes(':') ? `[${bindHost}]:${port}` : `${bindHost}:${port}`;
  allowedHosts = new Set([authority, `localhost:${port}`]);
  const url = `http://${authority}/`;
  return {
    url,
    token,
    openUrl: `${url}?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sameToken(offered: string, token: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function authorized(req: http.IncomingMessage, token: string): boolean {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ') && sameToken(header.slice('Bearer '.length).trim(), token)) return true;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === COOKIE && value !== undefined && sameToken(value, token)) return true;
  }
  return false;
}

function unauthorized(res: http.ServerResponse): void {
  sendJson(res, 401, { code: 'forbidden', message: 'missing or wrong token: open the URL that `vigil serve` printed' });
}

function setSecurityHeaders(res: http.ServerResponse): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
}

function statusFor(error: ApiError): number {
  switch (error.code) {
    case 'bad-request':
      return 400;
    case 'unknown-channel':
      return 404;
    case 'forbidden':
      return 403;
    case 'unavailable':
      return 503;
    default:
      return 500;
  }
}

function errorBody(error: unknown): { status: number; body: ApiErrorBody } {
  if (error instanceof ApiError) return { status: statusFor(error), body: error.toBody() };
  return { status: 500, body: { code: 'failed', message: String((error as Error)?.message ?? error) } };
}

async function readJsonBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError('bad-request', `request body over ${MAX_BODY_BYTES} bytes; nothing was run`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('bad-request', 'request body is not valid JSON; nothing was run');
  }
}

async function answerCall(gateway: Gateway<any>, channel: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  try {
    const body = await readJsonBody(req);
    sendJson(res, 200, await gateway.call(channel, body));
  } catch (error) {
    const { status, body } = errorBody(error);
    sendJson(res, status, body);
  }
}

async function answerStream(gateway: Gateway<any>, channel: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  let params: unknown;
  try {
    params = await readJsonBody(req);
    if (gateway.channelKind(channel) !== 'stream') {
      throw gateway.channelKind(channel) === undefined
        ? new ApiError('unknown-channel', `'${channel}' is not part of Vigil's API; nothing was run`)
        : new ApiError('bad-request', `'${channel}' is a call, not a stream; nothing was run`);
    }
  } catch (error) {
    const { status, body } = errorBody(error);
    sendJson(res, status, body);
    return;
  }
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/x-ndjson');
  res.flushHeaders();
  try {
    await gateway.subscribe(channel, params, (item) => res.write(`${JSON.stringify({ item })}\n`), controller.signal);
    if (!controller.signal.aborted) res.end(`${JSON.stringify({ end: true })}\n`);
  } catch (error) {
    if (!controller.signal.aborted) res.end(`${JSON.stringify({ error: errorBody(error).body })}\n`);
  }
}

function serveStatic(rendererDir: string, pathname: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    sendJson(res, 400, { code: 'bad-request', message: 'malformed path' });
    return;
  }
  let file = path.resolve(rendererDir, `.${relative}`);
  if (file !== rendererDir && !file.startsWith(rendererDir + path.sep)) {
    sendJson(res, 404, { code: 'bad-request', message: 'not found' });
    return;
  }
  // The workbench is a single-page app: unknown paths without an extension are its routes.
  if (!existsSync(file) || statSync(file).isDirectory()) {
    if (path.extname(relative) !== '') {
      sendJson(res, 404, { code: 'bad-request', message: 'not found' });
      return;
    }
    file = path.join(rendererDir, 'index.html');
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', mimeTypes[path.extname(file)] ?? 'application/octet-stream');
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
