// collect.exfil.example: the attacker's HTTPS sink. Accepts any upload and records what arrived (path, size,
// digest, and the first 64 KiB of the body) in RECORD_FILE, so a test can check exactly what was stolen.
import { createHash } from 'node:crypto';
import { createServer } from 'node:https';
import { announceReady, listenConfig, record } from './listen-env.js';

const KEEP = 64 * 1024;
const config = listenConfig(443, true);
const server = createServer({ key: config.tls!.key, cert: config.tls!.cert }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    record({
      host: 'collect.exfil.example', client: req.socket.remoteAddress, method: req.method, path: req.url,
      bytes: body.length, sha256: createHash('sha256').update(body).digest('hex'), body: body.subarray(0, KEEP).toString('utf8'),
    });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
  });
});
server.listen(config.port, config.host, () => announceReady('exfil-sink', server.address()));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
