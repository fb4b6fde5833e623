// api.weather.example: a third-party JSON API that agents legitimately call (GET /v1/current?city=NAME).
import { createHash } from 'node:crypto';
import { createServer } from 'node:https';
import { announceReady, listenConfig, record } from './listen-env.js';

/** A stable pseudo-forecast per city, so answers are deterministic. */
function forecast(city: string) {
  const seed = createHash('sha256').update(city.toLowerCase()).digest();
  const conditions = ['clear', 'cloudy', 'light rain', 'windy', 'fog'];
  return { city, temperatureC: (seed[0]! % 30) - 2, condition: conditions[seed[1]! % conditions.length], humidity: 30 + (seed[2]! % 60) };
}

const config = listenConfig(443, true);
const server = createServer({ key: config.tls!.key, cert: config.tls!.cert }, (req, res) => {
  const url = new URL(req.url ?? '/', 'https://api.weather.example');
  const city = url.searchParams.get('city');
  const ok = req.method === 'GET' && url.pathname === '/v1/current' && !!city;
  record({ host: 'api.weather.example', client: req.socket.remoteAddress, method: req.method, path: url.pathname, city, status: ok ? 200 : 400 });
  res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
  res.end(JSON.stringify(ok ? forecast(city) : { error: 'use GET /v1/current?city=NAME' }));
});
server.listen(config.port, config.host, () => announceReady('weather-api', server.address()));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
