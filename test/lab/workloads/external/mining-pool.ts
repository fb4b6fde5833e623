// pool.mining.example:3333: a stratum-like mining pool (newline-delimited JSON-RPC over TCP). It answers
// mining.subscribe / mining.authorize, hands out a job, and records every login and share in RECORD_FILE.
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { announceReady, listenConfig, record } from './listen-env.js';

const config = listenConfig(3333, false);
let jobCounter = 0;

const server = createServer((socket) => {
  const client = socket.remoteAddress;
  const send = (message: unknown) => socket.write(`${JSON.stringify(message)}\n`);
  record({ host: 'pool.mining.example', client, event: 'connect' });
  createInterface({ input: socket }).on('line', (line) => {
    let request: { id?: unknown; method?: unknown; params?: unknown[] };
    try {
      request = JSON.parse(line) as typeof request;
    } catch {
      send({ id: null, result: null, error: [20, 'invalid json', null] });
      return;
    }
    const method = String(request.method);
    record({ host: 'pool.mining.example', client, event: 'rpc', method, params: request.params ?? [] });
    if (method === 'mining.subscribe') {
      send({ id: request.id, result: [[['mining.notify', 'ae6812eb4cd7735a302a8a9dd95cf71f']], '08000002', 4], error: null });
    } else if (method === 'mining.authorize') {
      send({ id: request.id, result: true, error: null });
      jobCounter += 1;
      const prevhash = createHash('sha256').update(`job-${jobCounter}`).digest('hex');
      send({ id: null, method: 'mining.set_difficulty', params: [1] });
      send({ id: null, method: 'mining.notify', params: [`job${jobCounter}`, prevhash, '01000000', '00000000', [], '20000000', '1d00ffff', '6553f100', true] });
    } else if (method === 'mining.submit') {
      send({ id: request.id, result: true, error: null });
    } else {
      send({ id: request.id, result: null, error: [20, `unknown method ${method}`, null] });
    }
  });
  socket.on('error', () => socket.destroy());
});
server.listen(config.port, config.host, () => announceReady('mining-pool', server.address()));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
