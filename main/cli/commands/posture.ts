// `vigil posture`: each service account's effective RBAC next to what it was observed doing (audit logs).
import { CliError, type Command } from '../command.js';
import { parseCommandArgs, printJson } from '../parse-args.js';
import { clusterPosture } from '../../kube/posture/cluster-posture.js';
import { kubeTargetOptions, targetFrom } from '../../kube/kube-target-cli.js';
import { discoveredCollectorEvidence, labCollectorEvidence } from '../../kube/posture/posture-collectors.js';

const usage = `Usage: vigil posture (--lab [--as ROLE] | --context NAME) [--namespace NS] [--audit-log FILE]... [--no-collector] [--json]

For every service account (of NS, or all): its effective permissions — RoleBindings and ClusterRoleBindings
resolved, aggregated ClusterRoles included — next to the API calls it made according to the audit logs and to
Vigil's collectors, with the unused grants in plain words. --lab reads the lab's audit log; add your own with
--audit-log (JSON lines). The collectors (the lab's, or those found in the context, reached by port-forward) add
the API requests they decoded from pods' TLS, credited to the pod's service account, and the pods' connections to
the API server; a use seen by a collector says so ("seen by the collector", "audit log and collector").
--no-collector leaves the collectors out.`;

export const postureCommand: Command = {
  name: 'posture',
  summary: "service accounts' RBAC grants next to their observed use",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      { ...kubeTargetOptions, namespace: { type: 'string' }, 'audit-log': { type: 'string', multiple: true }, 'no-collector': { type: 'boolean' }, json: { type: 'boolean' } },
      false,
    );
    const target = targetFrom(values);
    const note = (line: string) => io.stderr(`vigil posture: ${line}\n`);
    const collectorEvents = values['no-collector'] ? [] : values.lab ? await labCollectorEvidence(note) : await discoveredCollectorEvidence(target.client, note);
    let report;
    try {
      report = await clusterPosture(target.client, { clusterId: target.context.id, namespace: values.namespace, auditLogs: [...target.auditLogs, ...(values['audit-log'] ?? [])], collectorEvents });
    } catch (error) {
      throw new CliError(`posture of ${target.context.name} failed: ${(error as Error).message}`);
    }
    if (values.json) {
      printJson(io, report);
      return 0;
    }
    io.stdout(`observed ${report.observation.calls} service-account API calls from ${report.observation.sources.join('; ') || 'no audit log'}\n`);
    for (const sa of report.serviceAccounts) {
      io.stdout(`${sa.namespace}/${sa.name}${sa.pods.length ? ` (pods: ${sa.pods.join(', ')})` : ''}\n  ${sa.summary}\n`);
      for (const d of sa.denied) io.stdout(`  denied: ${d}\n`);
    }
    for (const i of report.incomplete) io.stderr(`vigil posture: incomplete, could not list ${i}\n`);
    return 0;
  },
};
