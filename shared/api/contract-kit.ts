// Building blocks of the renderer ↔ main contract. A call is a request/response pair; a stream is a subscription
// that yields items until it is cancelled. Both carry zod schemas so that every end — the Electron preload, the
// browser host, the gateway and the renderer's client — validates every message against the same declaration.
import type { z } from 'zod';

export interface CallSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  kind: 'call';
  request: Req;
  response: Res;
  summary: string;
}

export interface StreamSpec<Params extends z.ZodType = z.ZodType, Item extends z.ZodType = z.ZodType> {
  kind: 'stream';
  params: Params;
  item: Item;
  summary: string;
}

export function call<Req extends z.ZodType, Res extends z.ZodType>(
  summary: string,
  request: Req,
  response: Res,
): CallSpec<Req, Res> {
  return { kind: 'call', request, response, summary };
}

export function stream<Params extends z.ZodType, Item extends z.ZodType>(
  summary: string,
  params: Params,
  item: Item,
): StreamSpec<Params, Item> {
  return { kind: 'stream', params, item, summary };
}

/** The failure every end reports the same way: what went wrong, and whether anything was changed. */
export interface ApiErrorBody {
  code: 'bad-request' | 'bad-response' | 'unknown-channel' | 'forbidden' | 'failed' | 'unavailable';
  message: string;
  /** Where validation failed, for bad-request / bad-response. */
  issues?: { path: string; message: string }[];
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ApiErrorBody['code'],
    message: string,
    readonly issues?: ApiErrorBody['issues'],
  ) {
    super(message);
  }

  toBody(): ApiErrorBody {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }

  static fromBody(body: ApiErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.issues);
  }
}

export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message }));
}
