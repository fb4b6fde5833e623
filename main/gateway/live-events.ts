// `live.events`: the lab collector's event stream, followed until the renderer cancels. The collector client
// validates every message, resumes after its cursor on reconnect and reports gaps; this only forwards them.
import { ApiError } from '../../shared/api/contract-kit.js';
import type { LiveItem } from '../../shared/api/contract.js';
import { CollectorClient } from '../collector/collector-client.js';
import { CollectorTargetError, targetFromLab } from '../collector/collector-target.js';

export async function followLabEvents(params: { after?: string }, emit: (item: LiveItem) => void, signal: AbortSignal): Promise<void> {
  let client: CollectorClient;
  try {
    client = new CollectorClient(targetFromLab());
  } catch (error) {
    if (error instanceof CollectorTargetError) throw new ApiError('unavailable', `no lab collector to follow: ${error.message}`);
    throw error;
  }
  try {
    for await (const item of client.events({ follow: true, signal, ...(params.after ? { after: params.after } : {}) })) {
      if (signal.aborted) return;
      emit(item);
    }
  } catch (error) {
    if (signal.aborted) return;
    throw new ApiError('unavailable', `the lab collector's event stream failed: ${(error as Error).message}`);
  } finally {
    client.close();
  }
}
