// `--context NAME [--node N] [--via port-forward|direct] [--collector-namespace NS]` for `vigil events`: find the
// collector of a kubeconfig context and connect to it, with the token from its Secret or from --token-file/--ca-file.
import { CliError, UsageError } from '../cli/command.js';
import { KubeTargetError, resolveKubeTarget } from '../kube/kube-target.js';
import { COLLECTOR_ROUTES, CollectorDiscoveryError, connectToCollectorPod, pickCollectorPod, type CollectorRoute, type ConnectedCollector } from './discovery-connect.js';
import { discoverCollectors } from './discovery-collector-pods.js';
import { CollectorCredentialsError, credentialsFromFiles, credentialsFromSecret } from './discovery-credentials.js';
import { PortForwardError } from './discovery-port-forward.js';

export const contextCollectorOptions = {
  context: { type: 'string' },
  node: { type: 'string' },
  via: { type: 'string' },
  'collector-namespace': { type: 'string' },
} as const;

export const contextCollectorUsage = `  --context NAME         find the collector of this kubeconfig context: the pods of the vigil-collector
                         DaemonSet (native-bpf-collector/deploy), one per node; token and CA from the
                         Secret they mount (vigil-collector-api), or from --token-file and --ca-file
  --node NODE            the collector on this node (needed when collectors on several nodes are ready)
  --via ROUTE            port-forward (default: through the API server, works wherever kubectl does) or
                         direct (the pod IP: from inside the cluster network)
  --collector-namespace NS   look only in NS (default: all namespaces, else vigil-system when that is forbidden)`;

export interface ContextCollectorValues {
  lab?: boolean;
  collector?: string;
  context?: string;
  node?: string;
  via?: string;
  'collector-namespace'?: string;
  'token-file'?: string;
  'ca-file'?: string;
}

/** The usage errors of the context options, before anything is contacted. */
export function checkContextCollectorUsage(values: ContextCollectorValues): void {
  if (values.context === undefined) {
    for (const option of ['node', 'via', 'collector-namespace'] as const) {
      if (values[option] !== undefined) throw new UsageError(`--${option} applies to --context only`);
    }
    return;
  }
  if (values.lab) throw new UsageError('give either --lab or --context, not both');
  if (values.collector) throw new UsageError('give either --collector URL or --context, not both');
  if (values.via !== undefined && !(COLLECTOR_ROUTES as readonly string[]).includes(values.via)) throw new UsageError(`--via takes ${COLLECTOR_ROUTES.join(' or ')}`);
  if (Boolean(values['token-file']) !== Boolean(values['ca-file'])) throw new UsageError('--token-file and --ca-file go together');
}

/** Finds and connects to the collector `--context` names; the caller closes it. Progress goes to `note`. */
export async function connectContextCollector(values: ContextCollectorValues & { context: string }, note: (line: string) => void): Promise<ConnectedCollector> {
  checkContextCollectorUsage(values);
  try {
    const { client } = resolveKubeTarget({ context: values.context });
    const discovery = await discoverCollectors(client, values['collector-namespace'] ? { namespace: values['collector-namespace'] } : {});
    for (const problem of discovery.problems) note(`note: ${problem}`);
    const pod = pickCollectorPod(discovery, values.node);
    const daemonSet = discovery.daemonSets.find((d) => d.namespace === pod.namespace && d.name === pod.daemonSet)!;
    const credentials =
      values['token-file'] && values['ca-file']
        ? credentialsFromFiles(values['token-file'], values['ca-file'])
        : await credentialsFromSecret(client, daemonSet.namespace, daemonSet.secretName);
    const route = (values.via ?? 'port-forward') as CollectorRoute;
    const connected = await connectToCollectorPod(client, pod, credentials, route);
    note(`collector ${pod.namespace}/${pod.name} on node ${pod.node} via ${route} (${connected.target.url}), token from ${credentials.source}`);
    return connected;
  } catch (error) {
    if (error instanceof KubeTargetError) throw error.badUsage ? new UsageError(error.message) : new CliError(error.message);
    if (error instanceof CollectorDiscoveryError || error instanceof CollectorCredentialsError || error instanceof PortForwardError) throw new CliError(error.message);
    if (error instanceof Error && /^Kube(Api|Timeout|Unreachable)Error$/.test(error.name)) throw new CliError(`looking for the collector of ${values.context} failed: ${error.message}`);
    throw error;
  }
}
