// The renderer's typed client of the contract. It validates what it sends (so a bug here fails loudly in the
// renderer, not in main) and what it receives (main is trusted, but a contract mismatch must not reach a view).
import { api, type CallName, type ItemOf, type ParamsOf, type RequestOf, type ResponseOf, type StreamName } from '../../../shared/api/contract.js';
import { ApiError, describeIssues, type CallSpec, type StreamSpec } from '../../../shared/api/contract-kit.js';
import { detectTransport, type Transport } from './transport.js';

export class ApiClient {
  constructor(private readonly transport: Transport = detectTransport()) {}

  async call<N extends CallName>(channel: N, request: RequestOf<N>): Promise<ResponseOf<N>> {
    const spec = api[channel] as CallSpec;
    const checkedRequest = spec.request.safeParse(request);
    if (!checkedRequest.success) throw new ApiError('bad-request', `malformed request to ${channel}`, describeIssues(checkedRequest.error));
    const response = await this.transport.call(channel, checkedRequest.data);
    const checked = spec.response.safeParse(response);
    if (!checked.success) throw new ApiError('bad-response', `malformed response of ${channel}`, describeIssues(checked.error));
    return checked.data as ResponseOf<N>;
  }

  subscribe<N extends StreamName>(channel: N, params: ParamsOf<N>, onItem: (item: ItemOf<N>) => void, onEnd: (error?: ApiError) => void): () => void {
    const spec = (api as Record<string, CallSpec | StreamSpec>)[channel] as StreamSpec;
    const checkedParams = spec.params.safeParse(params);
    if (!checkedParams.success) {
      onEnd(new ApiError('bad-request', `malformed parameters of ${channel}`, describeIssues(checkedParams.error)));
      return () => undefined;
    }
    let cancel = () => undefined as void;
    cancel = this.transport.subscribe(
      channel,
      checkedParams.data,
      (item) => {
        const checked = spec.item.safeParse(item);
        if (checked.success) onItem(checked.data as ItemOf<N>);
        else {
          cancel();
          onEnd(new ApiError('bad-response', `malformed item of ${channel}`, describeIssues(checked.error)));
        }
      },
      onEnd,
    );
    return cancel;
  }
}

let shared: ApiClient | undefined;
export function apiClient(): ApiClient {
  shared ??= new ApiClient();
  return shared;
}
