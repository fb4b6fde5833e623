import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../shared/api/contract.js';
import { apiClient } from '../platform/api-client.js';

export type AppInfoState = { status: 'loading' } | { status: 'ready'; info: AppInfo } | { status: 'error'; message: string };

/** Asks main who it is; the frame shows the host, the version and whether the case is read-only. */
export function useAppInfo(): AppInfoState {
  const [state, setState] = useState<AppInfoState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    apiClient()
      .call('app.info', {})
      .then(
        (info) => live && setState({ status: 'ready', info }),
        (error: Error) => live && setState({ status: 'error', message: error.message }),
      );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
