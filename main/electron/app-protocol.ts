// app://vigil/ serves the built workbench from dist/renderer instead of file://, so the page has a real origin
// (fetch, workers and the CSP behave as on the web) and cannot read arbitrary files by path.
import { net, protocol } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync, statSync } from 'node:fs';
import { contentSecurityPolicy } from '../../shared/api/content-security-policy.js';

export function registerAppSchemeAsPrivileged(): void {
  // Must run before app 'ready'.
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export function serveAppProtocol(rendererDir: string): void {
  const root = path.resolve(rendererDir);
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'vigil') return new Response('not found', { status: 404 });
    let file = path.resolve(root, `.${decodeURIComponent(url.pathname)}`);
    if (file !== root && !file.startsWith(root + path.sep)) return new Response('not found', { status: 404 });
    if (!existsSync(file) || statSync(file).isDirectory()) file = path.join(root, 'index.html');
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
