// The renderer's typed client of the engine worker: one promise per request, progress callbacks, cancellation, and
// a listener for "the case changed" pushes in live mode.
import type { CaseSummary, FromWorker, Progress, ResultOf, ToWorker, WorkerRequest } from './engine-protocol.js';

export class RequestCancelled extends Error {
  override name = 'RequestCancelled';
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (progress: Progress) => void;
}

export interface Running<T> {
  result: Promise<T>;
  cancel(): void;
}

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly changeListeners = new Set<(summary: CaseSummary) => void>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (message: MessageEvent<FromWorker>) => this.receive(message.data);
    worker.onerror = (event) => {
      for (const [, pending] of this.pending) pending.reject(new Error(`the engine worker failed: ${event.message}`));
      this.pending.clear();
    };
  }

  start<R extends WorkerRequest>(request: R, onProgress?: (progress: Progress) => void): Running<ResultOf<R['type']>> {
    const requestId = this.nextId++;
    const result = new Promise<ResultOf<R['type']>>((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (value: unknown) => void, reject, ...(onProgress ? { onProgress } : {}) });
    });
    this.worker.postMessage({ requestId, request } satisfies ToWorker);
    return { result, cancel: () => this.worker.postMessage({ cancel: requestId } satisfies ToWorker) };
  }

  request<R extends WorkerRequest>(request: R): Promise<ResultOf<R['type']>> {
    return this.start(request).result;
  }

  onChange(listener: (summary: CaseSummary) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private receive(message: FromWorker): void {
    if ('changed' in message) {
      for (const listener of this.changeListeners) listener(message.changed);
      return;
    }
    const pending = this.pending.get(message.requestId);
    if (!pending) return;
    if ('progress' in message) pending.onProgress?.(message.progress);
    else {
      this.pending.delete(message.requestId);
      if ('result' in message) pending.resolve(message.result);
      else pending.reject(message.cancelled ? new RequestCancelled(message.error) : new Error(message.error));
    }
  }
}

let shared: EngineClient | undefined;
export function engineClient(): EngineClient {
  shared ??= new EngineClient(new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'vigil-engine' }));
  return shared;
}
