// Client for a Vigil collector's v1 API: authenticated HTTPS, every message validated with the shared schemas,
// and an event stream that resumes after a disconnect from the last cursor it delivered — so within the
// collector's buffer horizon nothing is lost and nothing is delivered twice.
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import type { RuntimeEvent } from '../../shared/model/event.js';
import {
  apiErrorSchema,
  enforcementStatusSchema,
  healthSchema,
  profileListSchema,
  profileSchema,
  streamMessageSchema,
  type CollectorHealth,
  type EnforcementRequest,
  type EnforcementStatus,
  type PodProfile,
} from '../../shared/collector-api/messages.js';
import type { CollectorTarget } from './collector-target.js';
import { ndjsonLines } from './ndjson-lines.js';

export class CollectorError extends Error {
  override name = 'CollectorError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The collector sent something that is not a valid v1 message: nothing of it was used. */
export class CollectorProtocolError extends CollectorError {
  override name = 'CollectorProtocolError';
}

export type StreamItem =
  | { type: 'event'; cursor: string; event: RuntimeEvent }
  /** Events fell out of the collector's buffer before they were read: a visible hole, never a silent one. */
  | { type: 'gap'; cursor: string; missed: number }
  /** The connection dropped; the client is reconnecting and will resume after `cursor`. */
  | { type: 'reconnecting'; cursor: string; reason: string; attempt: number };

export interface StreamOptions {
  /** Resume after this cursor (exclusive). */
  after?: string;
  /** Start at the first buffered event at or after this time (ignored when `after` is given). */
  since?: Date;
  /** Keep the stream open for new events, reconnecting as needed. */
  follow?: boolean;
  signal?: AbortSignal;
  /** Give up after this many consecutive failed reconnects (default: never, while following). */
  maxReconnects?: number;
}

const HEADERS_TIMEOUT_MS = 15_000;

function cursorAfter(a: string, b: string): boolean {
  return BigInt(a) > BigInt(b);
}

export class CollectorClient {
  private readonly agent: https.Agent;

  constructor(readonly target: CollectorTarget) {
    this.agent = new https.Agent({ ca: target.ca, keepAlive: true });
  }

  close(): void {
    this.agent.destroy();
  }

  private open(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        new URL(path, this.target.url),
        {
          method,
          agent: this.agent,
          signal,
          headers: {
            authorization: `Bearer ${this.target.token}`,
            accept: 'application/json, application/x-ndjson',
            ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        resolve,
      );
      req.setTimeout(HEADERS_TIMEOUT_MS, () => req.destroy(new CollectorError(`no answer from ${this.target.url} within ${HEADERS_TIMEOUT_MS / 1000} s`)));
      req.on('error', (error) =>
        reject(error instanceof CollectorError ? error : new CollectorError(`cannot reach the collector at ${this.target.url}: ${error.message}`)),
      );
      req.end(payload);
    });
  }

  private async json<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
    const res = await this.open(method, path, body);
    let text = '';
    for await (const chunk of res) {
      text += chunk;
      if (text.length > 64 << 20) throw new CollectorProtocolError(`${method} ${path}: answer exceeds 64 MiB`);
    }
    const status = res.statusCode ?? 0;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CollectorProtocolError(`${method} ${path}: the collector answered ${status} with non-JSON`, status);
    }
    if (status < 200 || status >= 300) {
      const error = apiErrorSchema.safeParse(parsed);
      throw new CollectorError(`${method} ${path}: ${status} ${error.success ? error.data.error : text.slice(0, 200)}`, status);
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      throw new CollectorProtocolError(`${method} ${path}: the answer does not match the v1 schema: ${result.error.message}`, status);
    }
    return result.data;
  }

  health(): Promise<CollectorHealth> {
    return this.json('GET', '/healthz', healthSchema);
  }

  /** Prometheus text of /metrics. */
  async metrics(): Promise<string> {
    const res = await this.open('GET', '/metrics');
    let text = '';
    for await (const chunk of res) text += chunk;
    if (res.statusCode !== 200) throw new CollectorError(`GET /metrics: ${res.statusCode} ${text.slice(0, 200)}`, res.statusCode);
    return text;
  }

  profile(namespace: string, pod: string): Promise<PodProfile> {
    return this.json('GET', `/v1/profiles/${encodeURIComponent(namespace)}/${encodeURIComponent(pod)}`, profileSchema);
  }

  async profiledPods(): Promise<string[]> {
    return (await this.json('GET', '/v1/profiles', profileListSchema)).pods;
  }

  enforce(containerId: string, request: EnforcementRequest): Promise<EnforcementStatus> {
    return this.json('PUT', `/v1/enforcement/${encodeURIComponent(containerId)}`, enforcementStatusSchema, request);
  }

  enforcement(containerId: string): Promise<EnforcementStatus> {
    return this.json('GET', `/v1/enforcement/${encodeURIComponent(containerId)}`, enforcementStatusSchema);
  }

  async release(containerId: string): Promise<void> {
    const res = await this.open('DELETE', `/v1/enforcement/${encodeURIComponent(containerId)}`);
    let text = '';
    for await (const chunk of res) text += chunk;
    if (res.statusCode !== 200) {
      const error = apiErrorSchema.safeParse(JSON.parse(text || '{}'));
      throw new CollectorError(`releasing ${containerId}: ${res.statusCode} ${error.success ? error.data.error : text}`, res.statusCode);
    }
  }

  /**
   * Streams events. Each event is validated; the cursor of the last delivered event is remembered, and after a
   * dropped connection the stream resumes after it, skipping anything at or before it. Pulling slowly is the
   * backpressure: the socket is read only as fast as the consumer asks.
   */
  async *events(options: StreamOptions = {}): AsyncGenerator<StreamItem> {
    let cursor = options.after;
    let since = cursor === undefined ? options.since : undefined;
    let failures = 0;
    for (;;) {
      const query = new URLSearchParams();
      if (cursor !== undefined) query.set('after', cursor);
      else if (since) query.set('since', since.toISOString());
      if (options.follow) query.set('follow', '1');
      let reason: string;
      try {
        const res = await this.open('GET', `/v1/events?${query}`, undefined, options.signal);
        if (res.statusCode !== 200) {
          let text = '';
          for await (const chunk of res) text += chunk;
          const error = apiErrorSchema.safeParse(JSON.parse(text || '{}'));
          throw new CollectorError(`GET /v1/events: ${res.statusCode} ${error.success ? error.data.error : text.slice(0, 200)}`, res.statusCode);
        }
        for await (const line of ndjsonLines(res)) {
          let raw: unknown;
          try {
            raw = JSON.parse(line);
          } catch {
            throw new CollectorProtocolError(`the event stream sent a line that is not JSON after cursor ${cursor ?? 'start'}`);
          }
          const parsed = streamMessageSchema.safeParse(raw);
          if (!parsed.success) {
            throw new CollectorProtocolError(`a stream message after cursor ${cursor ?? 'start'} does not match the v1 schema: ${parsed.error.message}`);
          }
          const message = parsed.data;
          failures = 0;
          if (message.type === 'end') return;
          if (message.type === 'heartbeat') continue;
          if (cursor !== undefined && !cursorAfter(message.cursor, cursor)) continue;
          cursor = message.cursor;
          since = undefined;
          yield message.type === 'event'
            ? { type: 'event', cursor: message.cursor, event: message.event }
            : { type: 'gap', cursor: message.cursor, missed: message.missed };
        }
        reason = 'the collector closed the stream';
      } catch (error) {
        if (options.signal?.aborted) return;
        if (error instanceof CollectorProtocolError) throw error;
        if (error instanceof CollectorError && error.status !== undefined && error.status >= 400 && error.status < 500) throw error;
        reason = (error as Error).message;
      }
      if (!options.follow) throw new CollectorError(`the event stream ended before its end marker: ${reason}`);
      failures += 1;
      if (options.maxReconnects !== undefined && failures > options.maxReconnects) {
        throw new CollectorError(`gave up after ${options.maxReconnects} reconnects: ${reason}`);
      }
      yield { type: 'reconnecting', cursor: cursor ?? '0', reason, attempt: failures };
      const delay = Math.min(5000, 250 * 2 ** Math.min(failures - 1, 5));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        options.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (options.signal?.aborted) return;
    }
  }
}
