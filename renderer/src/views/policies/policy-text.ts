// The text a responder copies or saves for a generated policy: Kubernetes objects as multi-document YAML (what
// `kubectl apply -f` takes); for seccomp, the plain profile JSON that runc/containerd read from the node.
import { dump } from 'js-yaml';
import type { GeneratedPolicy } from '../../../../shared/model/policy.js';

export function policyYaml(policy: GeneratedPolicy): string {
  return policy.objects.map((object) => dump(object, { noRefs: true, lineWidth: 120 })).join('---\n');
}

export function seccompJson(policy: GeneratedPolicy): string | null {
  return policy.seccomp ? `${JSON.stringify(policy.seccomp, null, 2)}\n` : null;
}

export function fileNameFor(policy: GeneratedPolicy, extension: 'yaml' | 'json'): string {
  return `${policy.pod.replace('/', '_')}.${policy.kind}.${extension}`;
}
