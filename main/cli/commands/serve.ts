// `vigil serve`: the workbench in a browser, through the browser host on loopback. With --bundle it opens an
// evidence bundle for offline review: verified first, then read-only; a hostile or damaged bundle is refused.
import path from 'node:path';
import { startBrowserHost } from '../../host/browser-host.js';
import { defaultRendererDir } from '../../host/renderer-dir.js';
import { createAppGateway } from '../../gateway/app-gateway.js';
import { FileKeyStore } from '../../evidence/keys.js';
import { BundleRefusedError, ReviewSession } from '../../evidence/review-session.js';
import { resolveTrustedKeys, TrustError } from '../../evidence/trusted-keys.js';
import { CliError, UsageError, type Command } from '../command.js';
import { parseCommandArgs, printJson } from '../parse-args.js';

const usage = `Usage: vigil serve [--port N] [--bundle FILE [--trust PUBKEY_PEM_OR_KEYID]...] [--json]

Serves the Vigil workbench to a browser on 127.0.0.1, guarded by a random per-run token.
Open the printed URL (it carries the token once; a cookie takes over). Stop with Ctrl-C.

Options:
  --port N        listen on port N (default 0: any free port)
  --bundle FILE   review an evidence bundle offline, read-only. It is verified first (every digest, the signature
                  against the trusted keys, the action log's chain): one that does not verify opens marked
                  "unverified" with every problem named; a damaged or hostile archive is refused (exit 1).
  --trust KEY     also trust this signer (a public key PEM file or a 64-hex key id); the local signing key always is
  --json          print {"url", "token", "openUrl"} (and "bundle": {"verified", "problems"}) as the first stdout line`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the workbench to a browser on 127.0.0.1 (token-guarded); --bundle reviews an evidence bundle',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      port: { type: 'string' },
      bundle: { type: 'string' },
      trust: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, not '${values.port}'`);
    if (values.trust && !values.bundle) throw new UsageError('--trust applies to --bundle');

    let trusted;
    try {
      trusted = await resolveTrustedKeys(values.trust ?? [], new FileKeyStore());
    } catch (error) {
      if (error instanceof TrustError) throw new UsageError(error.message);
      throw error;
    }
    const review = new ReviewSession(async () => trusted);
    let bundle: { verified: boolean; problems: string[] } | undefined;
    if (values.bundle) {
      try {
        const opened = await review.open(path.resolve(values.bundle), { openedBy: 'serve' });
        bundle = { verified: opened.verified, problems: opened.verification.problems };
      } catch (error) {
        if (error instanceof BundleRefusedError) throw new CliError(error.message);
        throw error;
      }
      if (!bundle.verified) io.stderr(`vigil serve: ${values.bundle} did NOT verify; it opens marked unverified:\n${bundle.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    }

    const gateway = createAppGateway({ host: 'browser', readOnly: false, review });
    const host = await startBrowserHost({ gateway, rendererDir: defaultRendererDir(), port });
    if (values.json) printJson(io, { url: host.url, token: host.token, openUrl: host.openUrl, ...(bundle ? { bundle } : {}) });
    else io.stdout(`Vigil workbench${bundle ? ` (evidence bundle ${path.basename(values.bundle!)}, ${bundle.verified ? 'verified' : 'UNVERIFIED'}, read-only)` : ''}: ${host.openUrl}\n`);
    io.stderr(`vigil serve: listening on ${host.url} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => io.signal.addEventListener('abort', () => resolve(), { once: true }));
    await host.close();
    io.stderr('vigil serve: stopped\n');
    return 0;
  },
};
