// Seccomp profiles from the syscalls a workload used during its baseline: plain JSON (for a Localhost profile) and
// the security-profiles-operator SeccompProfile object. Anything else returns EPERM.
import type { GeneratedPolicy, SeccompProfileJson } from '../model/policy.js';
import type { PolicyTarget } from './policy-target.js';

export const SECCOMP_ARCHITECTURES = ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32', 'SCMP_ARCH_AARCH64'];
/** Syscalls every container needs to start at all (runc execs the entrypoint before the workload is observed). */
const CONTAINER_STARTUP = ['execve', 'exit', 'exit_group', 'rt_sigreturn', 'futex', 'capget', 'capset', 'prctl', 'set_tid_address', 'arch_prctl'];

export function generateSeccomp(target: PolicyTarget): GeneratedPolicy {
  const profile = target.profile;
  const used = [...profile.features.get('syscalls')!];
  const names = [...new Set([...used, ...CONTAINER_STARTUP])].sort();
  const warnings: string[] = [];
  if (!profile.learned) warnings.push(`the baseline of ${target.workload} is still learning: the syscall list may be incomplete`);
  if (used.length === 0) warnings.push('no syscall.first events were recorded for this workload: the profile allows only container start-up');
  const seccomp: SeccompProfileJson = { defaultAction: 'SCMP_ACT_ERRNO', architectures: SECCOMP_ARCHITECTURES, syscalls: [{ names, action: 'SCMP_ACT_ALLOW' }] };
  const [namespace, owner] = target.workload.split('/') as [string, string];
  return {
    kind: 'seccomp',
    pod: target.pod,
    workload: target.workload,
    seccomp,
    objects: [
      {
        apiVersion: 'security-profiles-operator.x-k8s.io/v1beta1',
        kind: 'SeccompProfile',
        metadata: {
          name: `vigil-baseline-${owner}`.slice(0, 63),
          namespace,
          labels: { 'app.kubernetes.io/managed-by': 'vigil' },
          annotations: { 'vigil.dev/target-workload': target.workload, 'vigil.dev/generated-from': `baseline of ${target.workload}` },
        },
        spec: { defaultAction: seccomp.defaultAction, architectures: seccomp.architectures, syscalls: seccomp.syscalls },
      },
    ],
    justification: used.sort().map((syscall) => ({ rule: `allow ${syscall}`, eventIds: [profile.evidence.get(`syscalls|${syscall}`)].filter((id): id is string => id !== undefined) })),
    warnings,
  };
}
