// Typed errors for everything that can go wrong talking to containerd, so the views can say what
// happened, why and what to do, instead of showing a raw gRPC status.
/** gRPC status codes by number (the protocol's fixed table), so no grpc-js load is needed here. */
const statusNames = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'] as const;
export type StatusName = (typeof statusNames)[number];

/** Why an endpoint could not be reached. Each has its own explanation and fix in the UI. */
export type UnreachableReason = 'notFound' | 'permissionDenied' | 'refused' | 'notContainerd' | 'timeout' | 'invalidAddress' | 'unknown';

export const reasonText: Readonly<Record<UnreachableReason, string>> = {
  notFound: 'no such file',
  permissionDenied: 'permission denied',
  refused: 'connection refused (stale socket: nothing is listening)',
  notContainerd: 'not a containerd socket',
  timeout: 'timed out',
  invalidAddress: 'invalid address',
  unknown: 'unknown error',
};

export class ContainerdError extends Error {
  constructor(message: string, readonly address: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The daemon at `address` could not be talked to at all. */
export class ContainerdUnreachableError extends ContainerdError {
  constructor(readonly reason: UnreachableReason, address: string, readonly detail: string) {
    super(`Cannot reach containerd at ${address}: ${reasonText[reason]}${detail ? ` (${detail})` : ''}`, address);
  }
}

/** containerd answered, and the answer is an error (NOT_FOUND, FAILED_PRECONDITION, ...). */
export class ContainerdRequestError extends ContainerdError {
  constructor(readonly code: StatusName, readonly method: string, address: string, readonly detail: string) {
    super(`containerd refused ${method}: ${code}${detail ? `: ${detail}` : ''}`, address);
  }
}

interface GrpcLikeError { code?: unknown; details?: unknown; message?: unknown }

function statusName(code: number): StatusName {
  return statusNames[code] ?? 'UNKNOWN';
}

/** Reads the socket-level cause out of grpc-js's UNAVAILABLE details ("connect EACCES /path"). */
function reasonFromDetails(details: string): UnreachableReason | undefined {
  if (/\bENOENT\b/.test(details)) return 'notFound';
  if (/\b(EACCES|EPERM)\b/.test(details)) return 'permissionDenied';
  if (/\bECONNREFUSED\b/.test(details)) return 'refused';
  if (/\b(ENOTSOCK|EPROTOTYPE)\b/.test(details)) return 'notContainerd';
  // The peer spoke something other than HTTP/2 (an HTTP/1 API socket, for example).
  // ("Connection dropped" is not one: that is a live connection whose daemon went away.)
  if (/protocol error|Received HTTP status code|HTTP\/1|bad frame|ERR_HTTP2/i.test(details)) return 'notContainerd';
  return undefined;
}

/** Maps any failure of a call to the ContainerdError that says what it means. */
export function toContainerdError(error: unknown, address: string, method: string): ContainerdError {
  if (error instanceof ContainerdError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as GrpcLikeError;
  const details = typeof e.details === 'string' ? e.details : typeof e.message === 'string' ? e.message : String(error);
  if (typeof e.code !== 'number') return new ContainerdUnreachableError(reasonFromDetails(details) ?? 'unknown', address, details);
  switch (statusName(e.code)) {
    case 'UNAVAILABLE':
      return new ContainerdUnreachableError(reasonFromDetails(details) ?? 'unknown', address, details);
    case 'DEADLINE_EXCEEDED':
      return new ContainerdUnreachableError('timeout', address, details);
    case 'UNIMPLEMENTED':
      // A gRPC server that does not serve containerd's Version/Namespaces services.
      return new ContainerdUnreachableError('notContainerd', address, details);
    case 'INTERNAL':
    case 'UNKNOWN': {
      const reason = reasonFromDetails(details);
      if (reason) return new ContainerdUnreachableError(reason, address, details);
      return new ContainerdRequestError(statusName(e.code), method, address, details);
    }
    default:
      return new ContainerdRequestError(statusName(e.code), method, address, details);
  }
}

/** containerd answered that the object does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ContainerdRequestError && error.code === 'NOT_FOUND';
}
