// IPC channel names shared by the preload and the main-side bridge. Only these four exist; the contract's own
// channel names travel inside them.
export const IPC_CALL = 'vigil:call';
export const IPC_SUBSCRIBE = 'vigil:subscribe';
export const IPC_UNSUBSCRIBE = 'vigil:unsubscribe';
export const IPC_STREAM_MESSAGE = 'vigil:stream-message';
