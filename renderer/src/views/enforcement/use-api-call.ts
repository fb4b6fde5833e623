// One contract call whose answer a view shows: loading, the answer, or the error in words; `reload` asks again (after
// a step changed the cluster). An answer that arrives after the inputs changed is dropped.
import { useCallback, useEffect, useState } from 'react';

export type CallState<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; message: string };

export function useApiCall<T>(load: (() => Promise<T>) | null, key: string): CallState<T> & { reload(): void } {
  const [state, setState] = useState<CallState<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!load) return;
    let live = true;
    setState((previous) => (previous.status === 'ready' && round > 0 ? previous : { status: 'loading' }));
    load().then(
      (value) => live && setState({ status: 'ready', value }),
      (error: Error) => live && setState({ status: 'error', message: error.message }),
    );
    return () => {
      live = false;
    };
    // `load` is rebuilt every render; the key names what it loads, so it alone decides when to load again.
  }, [key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}
