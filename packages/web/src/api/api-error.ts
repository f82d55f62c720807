import type { ErrorCode } from '@streamgate/contract';

/**
 * Anything that went wrong talking to the Portal API. `status` is 0 when the request never got
 * an answer (network down, portal stopped): those are the ones worth retrying by hand.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly correlationId: string | null;

  constructor(
    message: string,
    opts: { status: number; code?: string | null; correlationId?: string | null; cause?: unknown },
  ) {
    super(message, { cause: opts.cause });
    this.name = 'ApiError';
    this.status = opts.status;
    this.code = opts.code ?? null;
    this.correlationId = opts.correlationId ?? null;
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function hasStatus(error: unknown, status: number): boolean {
  return isApiError(error) && error.status === status;
}

/** Whether the portal answered with this error code (the contract lists every code it sends). */
export function hasCode(error: unknown, code: ErrorCode): boolean {
  return isApiError(error) && error.code === code;
}
