// The Kubernetes Secrets the workloads' deployments would ship with: the agents' LLM API keys and the payments
// data store's password (all fake, recognisable lab values). They are what a stolen service-account token can list
// in the indirect-prompt-injection-exfil scenario. Written with server-side apply, so re-applying is a no-op.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { KubeClient } from '../cluster/kube-client.js';
import { LAB_CONTEXTS, type LabState } from '../lab-state.js';
import { LAB_API_KEYS } from './workload-catalog.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

export const WORKLOAD_SECRETS = [
  { namespace: 'agents', name: 'llm-provider-api-keys', data: { 'research-agent': LAB_API_KEYS.research, 'support-agent': LAB_API_KEYS.support } },
  { namespace: 'payments', name: 'payments-db-credentials', data: { 'redis-password': 'lab-FAKE-redis-password-7d41c9' } },
] as const;

interface Kubeconfig {
  contexts: { name: string; context: { user: string } }[];
  users: { name: string; user: { token?: string } }[];
}

function adminToken(kubeconfigFile: string): string {
  const config = load(readFileSync(kubeconfigFile, 'utf8')) as Kubeconfig;
  const user = config.contexts.find((c) => c.name === LAB_CONTEXTS.admin)?.context.user;
  const token = config.users.find((u) => u.name === user)?.user.token;
  if (!token) throw new Error(`no token for the ${LAB_CONTEXTS.admin} context in ${kubeconfigFile}`);
  return token;
}

export async function applyWorkloadSecrets(lab: LabState): Promise<void> {
  const client = new KubeClient(lab.apiserver.url, adminToken(lab.kubeconfig), lab.caFile);
  try {
    for (const secret of WORKLOAD_SECRETS) {
      await client.apply({
        apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
        metadata: { name: secret.name, namespace: secret.namespace, labels: { 'app.kubernetes.io/part-of': 'vigil-lab-workloads' } },
        data: Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, b64(v)])),
      });
    }
  } finally {
    client.close();
  }
}
