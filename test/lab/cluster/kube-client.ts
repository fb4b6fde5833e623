// A small HTTPS client for the lab's own kube-apiserver (bearer token + lab CA). Objects are written with
// server-side apply, so applying the same desired state twice is a no-op: that is what makes `lab up` idempotent.
import https from 'node:https';
import { readFileSync } from 'node:fs';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export class KubeApiError extends Error {
  override name = 'KubeApiError';
  constructor(readonly method: string, readonly path: string, readonly status: number, readonly body: string) {
    super(`${method} ${path} answered ${status}: ${extractMessage(body)}`);
  }
}

function extractMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string };
    return parsed.message ?? body.slice(0, 300);
  } catch {
    return body.slice(0, 300);
  }
}

const FIELD_MANAGER = 'vigil-lab';

export class KubeClient {
  private readonly agent: https.Agent;
  constructor(readonly server: string, private readonly token: string, caFile: string) {
    this.agent = new https.Agent({ ca: readFileSync(caFile), keepAlive: true });
  }

  async request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; text: string }> {
    const url = new URL(path, this.server);
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return await new Promise((resolve, reject) => {
      const req = https.request(url, {
        method,
        agent: this.agent,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }),
        },
        timeout: 30_000,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.href} timed out`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  async json<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const res = await this.request(method, path, body, contentType);
    if (res.status < 200 || res.status >= 300) throw new KubeApiError(method, path, res.status, res.text);
    return JSON.parse(res.text) as T;
  }

  /** Server-side apply of `obj` (create or update); returns the object as stored. */
  async apply<T extends KubeObject>(obj: T, subresource?: 'status'): Promise<T> {
    const path = objectPath(obj) + (subresource ? `/${subresource}` : '') + `?fieldManager=${FIELD_MANAGER}&force=true`;
    return await this.json<T>('PATCH', path, obj, 'application/apply-patch+yaml');
  }

  async get<T>(path: string): Promise<T | null> {
    const res = await this.request('GET', path);
    if (res.status === 404) return null;
    if (res.status < 200 || res.status >= 300) throw new KubeApiError('GET', path, res.status, res.text);
    return JSON.parse(res.text) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Plural resource names of the kinds the lab writes. */
const RESOURCES: Record<string, string> = {
  Namespace: 'namespaces', Node: 'nodes', ServiceAccount: 'serviceaccounts', Pod: 'pods', Service: 'services',
  Endpoints: 'endpoints', ConfigMap: 'configmaps', Secret: 'secrets',
  Deployment: 'deployments', ReplicaSet: 'replicasets', StatefulSet: 'statefulsets',
  Role: 'roles', RoleBinding: 'rolebindings', ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings',
  EndpointSlice: 'endpointslices',
};

export function objectPath(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  const resource = RESOURCES[obj.kind];
  if (!resource) throw new Error(`the lab's kube client does not know the kind ${obj.kind}`);
  const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const ns = obj.metadata.namespace ? `/namespaces/${obj.metadata.namespace}` : '';
  return `${base}${ns}/${resource}/${obj.metadata.name}`;
}
