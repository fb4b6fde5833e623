// downloads.example: a plain-HTTP file host the cryptominer is fetched from (GET /tools/xmrig).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { announceReady, listenConfig, record } from './listen-env.js';

const files: Record<string, Buffer> = {
  '/tools/xmrig': readFileSync(fileURLToPath(new URL('./payloads/xmrig-lite.py', import.meta.url))),
};

const config = listenConfig(80, false);
const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const file = files[path];
  record({ host: 'downloads.example', client: req.socket.remoteAddress, method: req.method, path, status: file ? 200 : 404, bytes: file?.length ?? 0 });
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.length });
  res.end(file);
});
server.listen(config.port, config.host, () => announceReady('downloads-host', server.address()));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
