import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { startBrowserHost, type BrowserHost } from './browser-host.js';
import { Gateway } from '../gateway/gateway.js';
import { call, stream } from '../../shared/api/contract-kit.js';

const contract = {
  'echo.upper': call('upper-case a word', z.object({ word: z.string().max(10) }).strict(), z.object({ word: z.string() })),
  'count.up': stream('count', z.object({ to: z.number().int().min(0).max(100) }).strict(), z.object({ n: z.number() })),
};

let host: BrowserHost;
const upper = vi.fn(async ({ word }: { word: string }) => ({ word: word.toUpperCase() }));

beforeAll(async () => {
  const rendererDir = mkdtempSync(path.join(tmpdir(), 'vigil-renderer-'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Vigil</title><div id="root"></div>');
  mkdirSync(path.join(rendererDir, 'assets'));
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(rendererDir, '..', 'secret.txt'), 'outside the renderer');
  const gateway = new Gateway(contract, {
    'echo.upper': upper,
    'count.up': async ({ to }, emit) => {
      for (let n = 1; n <= to; n++) emit({ n });
    },
  });
  host = await startBrowserHost({ gateway, rendererDir });
});
afterAll(() => host.close());

const auth = () => ({ Authorization: `Bearer ${host.token}` });

describe('browser host', () => {
  it('binds loopback only and prints a URL and a long random token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(host.token.length).toBeGreaterThanOrEqual(40);
  });

  it('answers 401 with no data without the token, for pages and for the API', async () => {
    for (const [url, init] of [
      [host.url, {}],
      [`${host.url}assets/app.js`, {}],
      [`${host.url}api/call/echo.upper`, { method: 'POST', body: '{"word":"x"}' }],
      [`${host.url}api/call/echo.upper`, { method: 'POST', body: '{"word":"x"}', headers: { Authorization: 'Bearer wrong' } }],
      [`${host.url}?token=wrong`, {}],
    ] as const) {
      const response = await fetch(url, init as RequestInit);
      expect(response.status, url).toBe(401);
      const text = await response.text();
      expect(text).not.toContain('Vigil</title>');
      expect(text).not.toContain('console.log');
    }
    expect(upper).not.toHaveBeenCalled();
  });

  it('trades the token in the URL for an HttpOnly cookie', async () => {
    const response = await fetch(host.openUrl, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(host.url, { headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('serves the contract: a call, a malformed call, an unknown channel', async () => {
    const ok = await fetch(`${host.url}api/call/echo.upper`, { method: 'POST', headers: auth(), body: '{"word":"vigil"}' });
    expect(await ok.json()).toEqual({ word: 'VIGIL' });
    upper.mockClear();
    for (const body of ['{"word": 5}', '{"word":"much too long for it"}', 'not json', '{"word":"a","x":1}']) {
      const bad = await fetch(`${host.url}api/call/echo.upper`, { method: 'POST', headers: auth(), body });
      expect(bad.status).toBe(400);
      expect((await bad.json()).message).toMatch(/nothing was run/);
    }
    expect(upper).not.toHaveBeenCalled();
    const unknown = await fetch(`${host.url}api/call/cluster.delete`, { method: 'POST', headers: auth(), body: '{}' });
    expect(unknown.status).toBe(404);
  });

  it('refuses oversized bodies', async () => {
    const big = await fetch(`${host.url}api/call/echo.upper`, { method: 'POST', headers: auth(), body: JSON.stringify({ word: 'x'.repeat(2_000_000) }) });
    expect(big.status).toBe(400);
  });

  it('streams NDJSON items and a closing line', async () => {
    const response = await fetch(`${host.url}api/stream/count.up`, { method: 'POST', headers: auth(), body: '{"to":3}' });
    const lines = (await response.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([{ item: { n: 1 } }, { item: { n: 2 } }, { item: { n: 3 } }, { end: true }]);
  });

  it('rejects a foreign Host header (DNS rebinding) and paths outside the renderer', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(host.url);
      const req = request({ host: url.hostname, port: url.port, path: '/', headers: { Host: 'evil.example:80', ...auth() } }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
    const traversal = await fetch(`${host.url}..%2fsecret.txt`, { headers: auth() });
    expect(await traversal.text()).not.toContain('outside the renderer');
  });
});
