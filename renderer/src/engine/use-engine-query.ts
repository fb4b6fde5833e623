// Asks the engine worker something and follows the answer's life: loading, the value, or the error in words. The
// request is re-sent when `key` changes (pass what the request depends on) or the case changes.
import { useEffect, useState } from 'react';
import { useCase } from '../case/case-context.js';
import { engineClient } from './engine-client.js';
import type { ResultOf, WorkerRequest } from './engine-protocol.js';

export type QueryState<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; message: string };

export function useEngineQuery<R extends WorkerRequest>(request: R | null, key: string): QueryState<ResultOf<R['type']>> {
  const { caseId, summary } = useCase();
  const [state, setState] = useState<QueryState<ResultOf<R['type']>>>({ status: 'loading' });
  const caseKey = `${caseId}:${summary?.eventCount ?? 0}`;
  useEffect(() => {
    if (!request || !caseId) return;
    let live = true;
    setState({ status: 'loading' });
    engineClient()
      .request(request)
      .then(
        (value) => live && setState({ status: 'ready', value }),
        (error: Error) => live && setState({ status: 'error', message: error.message }),
      );
    return () => {
      live = false;
    };
    // The request object is rebuilt each render; `key` says when it really changed.
  }, [key, caseKey]);
  return state;
}
