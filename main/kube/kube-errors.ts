// Errors of cluster access, each saying what happened in words a responder can act on.

/** The parts of a Kubernetes `Status` object that explain a failure. */
export interface ApiStatus {
  reason?: string;
  message?: string;
  code?: number;
  details?: { name?: string; kind?: string; group?: string; causes?: { message?: string; field?: string }[] };
}

export function statusFromBody(text: string): ApiStatus {
  try {
    const parsed = JSON.parse(text) as { kind?: string } & ApiStatus;
    if (parsed && typeof parsed === 'object') return { reason: parsed.reason, message: parsed.message, code: parsed.code, details: parsed.details };
  } catch {
    // Not JSON (a proxy's HTML page, say): keep the start of it as the message.
  }
  return { message: text.slice(0, 300) };
}

export class KubeApiError extends Error {
  override name = 'KubeApiError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly apiStatus: ApiStatus,
  ) {
    super(`${method} ${path}: HTTP ${status}${apiStatus.reason ? ` ${apiStatus.reason}` : ''}: ${apiStatus.message ?? 'no message'}`);
  }
  get isNotFound(): boolean {
    return this.status === 404;
  }
  get isForbidden(): boolean {
    return this.status === 403;
  }
  get isConflict(): boolean {
    return this.status === 409 && this.apiStatus.reason !== 'AlreadyExists';
  }
  get isAlreadyExists(): boolean {
    return this.status === 409 && this.apiStatus.reason === 'AlreadyExists';
  }
  get isGone(): boolean {
    return this.status === 410;
  }
  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

export class KubeTimeoutError extends Error {
  override name = 'KubeTimeoutError';
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`${what}: no answer from the API server within ${timeoutMs} ms`);
  }
}

export class KubeUnreachableError extends Error {
  override name = 'KubeUnreachableError';
  constructor(
    readonly what: string,
    override readonly cause: Error,
  ) {
    super(`${what}: cannot reach the API server (${cause.message})`);
  }
}

export function isKubeApiError(error: unknown, status?: number): error is KubeApiError {
  return error instanceof KubeApiError && (status === undefined || error.status === status);
}
