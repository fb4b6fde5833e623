// `vigil serve`: the workbench in a browser, through the browser host on loopback.
import { startBrowserHost } from '../../host/browser-host.js';
import { defaultRendererDir } from '../../host/renderer-dir.js';
import { createAppGateway } from '../../gateway/app-gateway.js';
import { UsageError, type Command } from '../command.js';
import { parseCommandArgs, printJson } from '../parse-args.js';

const usage = `Usage: vigil serve [--port N] [--json]

Serves the Vigil workbench to a browser on 127.0.0.1, guarded by a random per-run token.
Open the printed URL (it carries the token once; a cookie takes over). Stop with Ctrl-C.

Options:
  --port N   listen on port N (default 0: any free port)
  --json     print {"url": ..., "token": ..., "openUrl": ...} as the first stdout line`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the workbench to a browser on 127.0.0.1 (token-guarded)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      port: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, not '${values.port}'`);

    const gateway = createAppGateway({ host: 'browser', readOnly: false });
    const host = await startBrowserHost({ gateway, rendererDir: defaultRendererDir(), port });
    if (values.json) printJson(io, { url: host.url, token: host.token, openUrl: host.openUrl });
    else io.stdout(`Vigil workbench: ${host.openUrl}\n`);
    io.stderr(`vigil serve: listening on ${host.url} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => io.signal.addEventListener('abort', () => resolve(), { once: true }));
    await host.close();
    io.stderr('vigil serve: stopped\n');
    return 0;
  },
};
