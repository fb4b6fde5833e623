// Live connection state of a context: one authenticated GET /version with a short timeout. /version is readable by
// every authenticated user (system:public-info-viewer), so 200 means "reachable and the credentials work"; a 401
// means the server is there but rejects the credentials.
import type { KubeClient } from './kube-client.js';
import { KubeApiError, KubeTimeoutError } from './kube-errors.js';

export type ConnectionState =
  | { state: 'connected'; version: string; latencyMs: number }
  | { state: 'unauthorized'; message: string }
  | { state: 'timeout'; message: string }
  | { state: 'unreachable'; message: string }
  | { state: 'error'; message: string };

export async function probeConnection(client: KubeClient, timeoutMs = 3_000): Promise<ConnectionState> {
  const started = performance.now();
  try {
    const version = await client.request<{ gitVersion?: string }>('GET', '/version', { timeoutMs });
    return { state: 'connected', version: version?.gitVersion ?? 'unknown', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof KubeApiError && (error.isUnauthorized || error.isForbidden)) return { state: 'unauthorized', message };
    if (error instanceof KubeTimeoutError) return { state: 'timeout', message };
    if (error instanceof KubeApiError) return { state: 'error', message };
    // Credential plugins (exec, auth-provider) fail here too: that is an error of this context, not of the server.
    if ((error as Error).name === 'KubeUnreachableError') return { state: 'unreachable', message };
    return { state: 'error', message };
  }
}
