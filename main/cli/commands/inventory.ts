// `vigil inventory`: a complete, paginated list of a cluster's workloads, RBAC and network policies.
import { CliError, type Command } from '../command.js';
import { parseCommandArgs, printJson } from '../parse-args.js';
import { ClusterInventory } from '../../kube/cluster-inventory.js';
import { kubeTargetOptions, targetFrom } from '../../kube/kube-target-cli.js';

const usage = `Usage: vigil inventory (--lab [--as responder|auditor|admin] | --context NAME) [--namespace NS] [--json]

Lists namespaces, nodes, pods, workloads (deployments, replicasets, statefulsets, daemonsets, jobs, cronjobs),
services, ingresses, service accounts, roles and bindings and network policies, page by page (limit/continue).
With --json prints an InventorySnapshot plus "coverage" (count and state per kind; 'forbidden' when the context may
not list a kind).`;

export const inventoryCommand: Command = {
  name: 'inventory',
  summary: "list a cluster's objects (InventorySnapshot with --json)",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { ...kubeTargetOptions, namespace: { type: 'string' }, json: { type: 'boolean' } }, false);
    const target = targetFrom(values);
    const inventory = new ClusterInventory(target.client, { clusterId: target.context.id, namespace: values.namespace, watch: false });
    try {
      await inventory.start();
    } catch (error) {
      throw new CliError(`listing ${target.context.name} failed: ${(error as Error).message}`);
    }
    const coverage = inventory.coverage();
    if (values.json) printJson(io, { ...inventory.snapshot(), coverage });
    else for (const c of coverage) io.stdout(`${c.kind.padEnd(20)} ${String(c.count).padStart(7)}  ${c.state === 'stopped' ? '' : c.state}${c.error ? `: ${c.error}` : ''}\n`);
    return 0;
  },
};
