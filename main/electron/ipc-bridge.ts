// Carries the contract over Electron IPC. Calls use invoke/handle; streams are keyed by an id the preload picks.
// Every message is checked to come from our own page (app://vigil) before the gateway sees it, and the gateway
// validates its content against the contract.
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { ApiError } from '../../shared/api/contract-kit.js';
import type { Gateway } from '../gateway/gateway.js';
import { APP_ORIGIN } from './hardening.js';
import { IPC_CALL, IPC_STREAM_MESSAGE, IPC_SUBSCRIBE, IPC_UNSUBSCRIBE } from './ipc-channels.js';

function fromOurPage(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  return event.senderFrame?.url.startsWith(`${APP_ORIGIN}/`) ?? false;
}

function toErrorBody(error: unknown) {
  return error instanceof ApiError ? error.toBody() : { code: 'failed' as const, message: String((error as Error)?.message ?? error) };
}

export function bridgeGatewayToIpc(gateway: Gateway<any>): void {
  const streams = new Map<string, AbortController>();

  ipcMain.handle(IPC_CALL, async (event, channel: unknown, request: unknown) => {
    if (!fromOurPage(event)) return { ok: false, error: { code: 'forbidden', message: 'IPC from an unexpected frame was refused' } };
    try {
      if (typeof channel !== 'string') throw new ApiError('bad-request', 'the channel name must be a string; nothing was run');
      return { ok: true, value: await gateway.call(channel, request) };
    } catch (error) {
      return { ok: false, error: toErrorBody(error) };
    }
  });

  ipcMain.on(IPC_SUBSCRIBE, (event, id: unknown, channel: unknown, params: unknown) => {
    if (!fromOurPage(event) || typeof id !== 'string' || typeof channel !== 'string' || streams.has(id)) return;
    const controller = new AbortController();
    streams.set(id, controller);
    const sender: WebContents = event.sender;
    const send = (message: unknown) => !sender.isDestroyed() && sender.send(IPC_STREAM_MESSAGE, id, message);
    sender.once('destroyed', () => controller.abort());
    gateway
      .subscribe(channel, params, (item) => send({ item }), controller.signal)
      .then(
        () => !controller.signal.aborted && send({ end: true }),
        (error: unknown) => !controller.signal.aborted && send({ error: toErrorBody(error) }),
      )
      .finally(() => streams.delete(id));
  });

  ipcMain.on(IPC_UNSUBSCRIBE, (event, id: unknown) => {
    if (!fromOurPage(event) || typeof id !== 'string') return;
    streams.get(id)?.abort();
    streams.delete(id);
  });
}
