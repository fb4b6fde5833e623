// A thin JSON client for one kubeconfig context. Credentials (tokens, client certificates, exec plugins, auth
// providers, proxies) come from @kubernetes/client-node's KubeConfig.applyToHTTPSOptions; the requests themselves
// go through node:https so that list pages are parsed with one JSON.parse, not the generated models' per-field
// deserialisation, which is what keeps a 20,000-pod list responsive.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, KubeTimeoutError, KubeUnreachableError, statusFromBody } from './kube-errors.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Content-Type of the body; JSON unless a patch type is given. */
  contentType?: 'application/json' | 'application/merge-patch+json' | 'application/json-patch+json' | 'application/strategic-merge-patch+json';
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Accept header, for a server-side transformation such as metadata only (PartialObjectMetadata). */
  accept?: string;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

export class KubeClient {
  readonly server: string;

  /** `kubeConfig` must have the wanted context selected (see kubeconfig-contexts.ts). */
  constructor(
    readonly kubeConfig: KubeConfig,
    readonly contextName: string,
    readonly defaultTimeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error(`context '${contextName}' names no cluster`);
    this.server = cluster.server.replace(/\/+$/, '');
  }

  private async requestOptions(method: string, path: string, headers: Record<string, string>): Promise<https.RequestOptions> {
    const url = new URL(this.server + path);
    const options: https.RequestOptions = {
      method,
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || undefined,
      path: url.pathname + url.search,
      headers: { Accept: 'application/json', 'User-Agent': 'vigil', ...headers },
    };
    await this.kubeConfig.applyToHTTPSOptions(options);
    return options;
  }

  /** Opens a request and resolves with the response once its headers arrive. Errors are Kube*Error. */
  private async open(method: string, path: string, options: RequestOptions): Promise<http.IncomingMessage> {
    const fullPath = withQuery(path, options.query);
    const headers: Record<string, string> = options.accept ? { Accept: options.accept } : {};
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const requestOptions = await this.requestOptions(method, fullPath, headers);
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const transport = requestOptions.protocol === 'http:' ? http : https;
    const what = `${method} ${this.server}${fullPath}`;
    return new Promise((resolve, reject) => {
      const request = transport.request(requestOptions);
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        reject(error);
      };
      // The timer covers the wait for headers; a body then has what is left of the time (readBody), and a watch
      // runs until the server ends it.
      const timer = setTimeout(() => fail(new KubeTimeoutError(what, timeoutMs)), timeoutMs);
      const onAbort = () => fail(new DOMException('the request was cancelled', 'AbortError'));
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error) => fail(new KubeUnreachableError(what, error)));
      request.on('response', (response) => {
        if (settled) return response.resume();
        settled = true;
        clearTimeout(timer);
        response.on('close', () => options.signal?.removeEventListener('abort', onAbort));
        resolve(response);
      });
      request.end(payload);
    });
  }

  private static readBody(response: http.IncomingMessage, timeoutError: () => Error, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const timer = setTimeout(() => {
        response.destroy();
        reject(timeoutError());
      }, timeoutMs);
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
      response.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** A JSON request. Non-2xx answers become KubeApiError carrying the API's Status (reason, message, code). */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    const response = await this.open(method, path, options);
    const what = `${method} ${this.server}${withQuery(path, options.query)}`;
    const text = await KubeClient.readBody(response, () => new KubeTimeoutError(what, timeoutMs), Math.max(1, deadline - Date.now()));
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) throw new KubeApiError(method, path, status, statusFromBody(text));
    if (text.length === 0) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KubeApiError(method, path, status, { message: `the server answered with something that is not JSON: ${text.slice(0, 200)}` });
    }
  }

  /** A streaming GET (watch). Resolves with the open response; a non-2xx status rejects with KubeApiError. */
  async stream(path: string, options: RequestOptions = {}): Promise<http.IncomingMessage> {
    const response = await this.open('GET', path, options);
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) {
      const text = await KubeClient.readBody(response, () => new KubeTimeoutError(`GET ${path}`, this.defaultTimeoutMs), this.defaultTimeoutMs);
      throw new KubeApiError('GET', path, status, statusFromBody(text));
    }
    return response;
  }
}
