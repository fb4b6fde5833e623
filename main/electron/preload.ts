// The sandboxed preload: exposes exactly the contract (shared/api/contract.ts) to the page as `window.vigilBridge`,
// and nothing else — no ipcRenderer, no generic send. It refuses channels the contract does not declare and
// validates requests before they leave, so a compromised page can only ask what the contract allows.
// Sandboxed preloads can require only a subset of 'electron'; esbuild bundles the rest (zod, the contract) in.
import { contextBridge, ipcRenderer } from 'electron';
import { api, isChannelName } from '../../shared/api/contract.js';
import { describeIssues, type CallSpec, type StreamSpec } from '../../shared/api/contract-kit.js';
import { IPC_CALL, IPC_STREAM_MESSAGE, IPC_SUBSCRIBE, IPC_UNSUBSCRIBE } from './ipc-channels.js';

type StreamMessage = { item?: unknown; end?: true; error?: { code: string; message: string } };

const listeners = new Map<string, (message: StreamMessage) => void>();
let nextStreamId = 0;

ipcRenderer.on(IPC_STREAM_MESSAGE, (_event, id: string, message: StreamMessage) => {
  const listener = listeners.get(id);
  if (!listener) return;
  if (message.end || message.error) listeners.delete(id);
  listener(message);
});

function rejectLocally(message: string) {
  return { ok: false as const, error: { code: 'bad-request' as const, message } };
}

contextBridge.exposeInMainWorld('vigilBridge', {
  async call(channel: string, request: unknown) {
    if (!isChannelName(channel) || (api[channel] as CallSpec | StreamSpec).kind !== 'call') return rejectLocally(`'${channel}' is not a call of Vigil's API`);
    const checked = (api[channel] as CallSpec).request.safeParse(request);
    if (!checked.success) return rejectLocally(`malformed request to ${channel}: ${describeIssues(checked.error).map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    return ipcRenderer.invoke(IPC_CALL, channel, checked.data);
  },
  subscribe(channel: string, params: unknown, onMessage: (message: StreamMessage) => void) {
    if (!isChannelName(channel) || (api[channel] as CallSpec | StreamSpec).kind !== 'stream') {
      onMessage({ error: { code: 'bad-request', message: `'${channel}' is not a stream of Vigil's API` } });
      return () => undefined;
    }
    const checked = (api[channel] as unknown as StreamSpec).params.safeParse(params);
    if (!checked.success) {
      onMessage({ error: { code: 'bad-request', message: `malformed parameters of ${channel}` } });
      return () => undefined;
    }
    const id = `s${nextStreamId++}`;
    listeners.set(id, onMessage);
    ipcRenderer.send(IPC_SUBSCRIBE, id, channel, checked.data);
    return () => {
      if (listeners.delete(id)) ipcRenderer.send(IPC_UNSUBSCRIBE, id);
    };
  },
});
