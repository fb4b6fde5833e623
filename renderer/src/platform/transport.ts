// How the renderer reaches main. This is the one module that knows whether Vigil runs in Electron (the preload's
// `window.vigilBridge`) or in a browser through `vigil serve` (HTTP to the same origin, authenticated by the cookie
// the host set). Everything above it speaks only the contract.
import { ApiError, type ApiErrorBody } from '../../../shared/api/contract-kit.js';

export interface Transport {
  call(channel: string, request: unknown): Promise<unknown>;
  /** Starts a stream; returns a function that cancels it. `onEnd` gets an error when the stream failed. */
  subscribe(channel: string, params: unknown, onItem: (item: unknown) => void, onEnd: (error?: ApiError) => void): () => void;
}

/** The surface the Electron preload exposes with contextBridge (main/electron/preload.ts). */
export interface ElectronBridge {
  call(channel: string, request: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: ApiErrorBody }>;
  subscribe(channel: string, params: unknown, onMessage: (message: { item?: unknown; end?: true; error?: ApiErrorBody }) => void): () => void;
}

declare global {
  interface Window {
    vigilBridge?: ElectronBridge;
  }
}

function electronTransport(bridge: ElectronBridge): Transport {
  return {
    async call(channel, request) {
      const result = await bridge.call(channel, request);
      if (!result.ok) throw ApiError.fromBody(result.error);
      return result.value;
    },
    subscribe(channel, params, onItem, onEnd) {
      return bridge.subscribe(channel, params, (message) => {
        if (message.error) onEnd(ApiError.fromBody(message.error));
        else if (message.end) onEnd();
        else onItem(message.item);
      });
    },
  };
}

async function errorFrom(response: Response): Promise<ApiError> {
  try {
    return ApiError.fromBody((await response.json()) as ApiErrorBody);
  } catch {
    return new ApiError('failed', `Vigil's host answered ${response.status} ${response.statusText}`);
  }
}

function httpTransport(): Transport {
  return {
    async call(channel, request) {
      const response = await fetch(`api/call/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request ?? {}),
        credentials: 'same-origin',
      });
      if (!response.ok) throw await errorFrom(response);
      return response.json();
    },
    subscribe(channel, params, onItem, onEnd) {
      const controller = new AbortController();
      void (async () => {
        try {
          const response = await fetch(`api/stream/${encodeURIComponent(channel)}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(params ?? {}),
            credentials: 'same-origin',
            signal: controller.signal,
          });
          if (!response.ok || !response.body) throw await errorFrom(response);
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffered = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffered += value;
            let newline: number;
            while ((newline = buffered.indexOf('\n')) >= 0) {
              const line = buffered.slice(0, newline);
              buffered = buffered.slice(newline + 1);
              if (!line) continue;
              const message = JSON.parse(line) as { item?: unknown; end?: true; error?: ApiErrorBody };
              if (message.error) return onEnd(ApiError.fromBody(message.error));
              if (message.end) return onEnd();
              onItem(message.item);
            }
          }
          onEnd(new ApiError('unavailable', `the stream ${channel} ended without a closing message`));
        } catch (error) {
          if (controller.signal.aborted) return;
          onEnd(error instanceof ApiError ? error : new ApiError('unavailable', String((error as Error)?.message ?? error)));
        }
      })();
      return () => controller.abort();
    },
  };
}

export function detectTransport(): Transport {
  return window.vigilBridge ? electronTransport(window.vigilBridge) : httpTransport();
}
