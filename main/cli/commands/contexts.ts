// `vigil contexts`: every kubeconfig context as kubectl sees it, with a live connection state.
import type { Command } from '../command.js';
import { parseCommandArgs, printJson } from '../parse-args.js';
import { probeConnection, type ConnectionState } from '../../kube/connection-state.js';
import { KubeconfigSet } from '../../kube/kubeconfig-contexts.js';

const usage = `Usage: vigil contexts [--json] [--no-probe] [--timeout MS]

Lists every context of the kubeconfig files (KUBECONFIG, several separated by ':', or ~/.kube/config) with its
stable cluster id, server, credential kind and live connection state (an authenticated GET /version).
A file that cannot be read or parsed is named with its problem; the other files' contexts are still listed.

  --no-probe    do not contact the clusters
  --timeout MS  connection probe timeout (default 3000)`;

export const contextsCommand: Command = {
  name: 'contexts',
  summary: 'list kubeconfig contexts with their connection state',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { json: { type: 'boolean' }, 'no-probe': { type: 'boolean' }, timeout: { type: 'string' } }, false);
    const timeoutMs = Number(values.timeout ?? 3000);
    const set = KubeconfigSet.fromEnvironment();
    const states: (ConnectionState | null)[] = await Promise.all(
      set.contexts.map((c) => (values['no-probe'] ? null : probeConnection(set.client(c.name, timeoutMs), timeoutMs).catch((error: unknown) => ({ state: 'error' as const, message: (error as Error).message })))),
    );
    const contexts = set.contexts.map((c, i) => ({ ...c, connection: states[i] }));
    if (values.json) {
      printJson(io, { files: set.files, contexts, problems: set.problems });
    } else {
      for (const c of contexts) {
        const state = c.connection ? (c.connection.state === 'connected' ? `connected ${c.connection.version}` : `${c.connection.state}: ${c.connection.message}`) : 'not probed';
        io.stdout(`${c.current ? '*' : ' '} ${c.name}  ${c.server}  ${c.auth}  ${state}  [${c.id}]\n`);
      }
      if (contexts.length === 0) io.stdout(`no contexts in ${set.files.join(', ')}\n`);
    }
    for (const p of set.problems) io.stderr(`vigil contexts: ${p.file}${p.context ? ` (context ${p.context})` : ''}: ${p.message}\n`);
    return 0;
  },
};
