// Starts `vigil serve --port 0 --json` once for the suite and hands its URL and token to the specs through the
// environment; returns the teardown that stops it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const vigil = fileURLToPath(new URL('../../bin/vigil', import.meta.url));
  const server = spawn(vigil, ['serve', '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('vigil serve printed nothing within 60 s')), 60_000);
    server.once('exit', (code) => reject(new Error(`vigil serve exited with ${code} before printing its URL`)));
    createInterface({ input: server.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
  });
  const { url, token, openUrl } = JSON.parse(firstLine) as { url: string; token: string; openUrl: string };
  process.env.VIGIL_URL = url;
  process.env.VIGIL_TOKEN = token;
  process.env.VIGIL_OPEN_URL = openUrl;
  return async () => {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  };
}
