// The gateway implements the contract (shared/api/contract.ts) on top of main's services. It is the one place where
// a message from the renderer turns into work: it validates the request first (a malformed request never reaches a
// handler), then validates the handler's answer (main never sends the renderer something the contract does not
// promise). The Electron IPC bridge and the browser host both call into it, so both behave the same.
import type { z } from 'zod';
import { ApiError, describeIssues, type CallSpec, type StreamSpec } from '../../shared/api/contract-kit.js';

type Contract = Record<string, CallSpec | StreamSpec>;

export type CallHandler<S> = S extends CallSpec<infer Req, infer Res>
  ? (request: z.output<Req>) => Promise<z.input<Res>>
  : never;
export type StreamHandler<S> = S extends StreamSpec<infer P, infer I>
  ? (params: z.output<P>, emit: (item: z.input<I>) => void, signal: AbortSignal) => Promise<void>
  : never;

export type Handlers<C extends Contract> = {
  [K in keyof C]: C[K] extends CallSpec ? CallHandler<C[K]> : StreamHandler<C[K]>;
};

export class Gateway<C extends Contract> {
  constructor(
    private readonly contract: C,
    private readonly handlers: Handlers<C>,
  ) {
    const declared = Object.keys(contract).sort();
    const implemented = Object.keys(handlers).sort();
    const missing = declared.filter((name) => !implemented.includes(name));
    const extra = implemented.filter((name) => !declared.includes(name));
    if (missing.length || extra.length) {
      throw new Error(`gateway does not match the contract: missing ${missing.join(', ') || 'none'}; not declared ${extra.join(', ') || 'none'}`);
    }
  }

  channelKind(channel: string): 'call' | 'stream' | undefined {
    return Object.prototype.hasOwnProperty.call(this.contract, channel) ? this.contract[channel]!.kind : undefined;
  }

  async call(channel: string, rawRequest: unknown): Promise<unknown> {
    const spec = this.spec(channel, 'call') as CallSpec;
    const request = parseOrThrow(spec.request, rawRequest, 'bad-request', `request to ${channel}`);
    const handler = (this.handlers as Record<string, (req: unknown) => Promise<unknown>>)[channel]!;
    const response = await handler(request);
    return parseOrThrow(spec.response, response, 'bad-response', `response of ${channel}`);
  }

  /** Runs a stream until its handler finishes or `signal` aborts; every item is validated before it is emitted. */
  async subscribe(channel: string, rawParams: unknown, onItem: (item: unknown) => void, signal: AbortSignal): Promise<void> {
    const spec = this.spec(channel, 'stream') as StreamSpec;
    const params = parseOrThrow(spec.params, rawParams, 'bad-request', `parameters of ${channel}`);
    const handler = (this.handlers as Record<string, (p: unknown, emit: (i: unknown) => void, s: AbortSignal) => Promise<void>>)[channel]!;
    await handler(
      params,
      (item) => {
        if (signal.aborted) return;
        onItem(parseOrThrow(spec.item, item, 'bad-response', `item of ${channel}`));
      },
      signal,
    );
  }

  private spec(channel: string, kind: 'call' | 'stream'): CallSpec | StreamSpec {
    const actual = this.channelKind(channel);
    if (actual === undefined) throw new ApiError('unknown-channel', `'${channel}' is not part of Vigil's API; nothing was run`);
    if (actual !== kind) throw new ApiError('bad-request', `'${channel}' is a ${actual}, not a ${kind}; nothing was run`);
    return this.contract[channel]!;
  }
}

function parseOrThrow(schema: z.ZodType, value: unknown, code: 'bad-request' | 'bad-response', what: string): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = describeIssues(result.error);
  const detail = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  const consequence = code === 'bad-request' ? 'the request was rejected and nothing was run' : 'the answer was withheld';
  throw new ApiError(code, `malformed ${what} (${detail}); ${consequence}`, issues);
}
