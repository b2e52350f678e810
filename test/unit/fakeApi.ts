// Stand-ins for a containerd connection in unit tests. They answer only the calls a test set them
// up for; any other call (an extra method, a unary call to a streamed method, a request a route
// does not accept) fails the test, even when the code under test catches the error it gets.
import { isDeepStrictEqual } from 'node:util';
import type { TestContext } from 'node:test';
import type { CallOptions, ContainerdApi } from '../../src/containerd/connection/api';
import { ContainerdRequestError } from '../../src/containerd/connection/errors';
import { MethodTable, type Method } from '../../src/containerd/proto/codec';

export const fakeAddress = '/run/fake.sock';

export class UnexpectedCallError extends Error {}

/** Collects the calls a fake refused and fails the test with them once it ends. */
export class CallGuard {
  private readonly refused: string[] = [];

  constructor(t: TestContext) {
    t.after(() => {
      if (this.refused.length > 0) throw new Error(`the code made calls the test did not set up:\n${this.refused.join('\n')}`);
    });
  }

  refuse(message: string): never {
    this.refused.push(message);
    throw new UnexpectedCallError(message);
  }
}

/**
 * The answer to one method: a unary reply, or a stream's messages. It may throw an error for the
 * code to handle (NOT_FOUND, say), or UnexpectedCallError for a request it was not set up for.
 */
export type Answer = (request: Record<string, unknown>, namespace: string | undefined) => unknown;

export interface Routes {
  readonly unary?: Readonly<Record<string, Answer>>;
  readonly stream?: Readonly<Record<string, Answer>>;
}

export interface Call {
  readonly kind: 'unary' | 'stream';
  readonly path: string;
  readonly request: Record<string, unknown>;
  readonly namespace?: string;
  /** The lease header a unary call was sent with, and whether it went without a deadline. */
  readonly lease?: string;
  readonly noDeadline?: boolean;
}

/** The error containerd answers for something absent, as the connection hands it over. */
export function notFound(what: string): ContainerdRequestError {
  return new ContainerdRequestError('NOT_FOUND', 'test', fakeAddress, `${what}: not found`);
}

/** Every answer of the routes passed through `wrap` (to delay or count them, say). */
export function wrapRoutes(routes: Routes, wrap: (answer: Answer, path: string) => Answer): Routes {
  const each = (answers: Readonly<Record<string, Answer>> = {}): Record<string, Answer> =>
    Object.fromEntries(Object.entries(answers).map(([path, answer]) => [path, wrap(answer, path)]));
  return { unary: each(routes.unary), stream: each(routes.stream) };
}

/** A call as tests compare them: `Service/Method namespace` (`Content/Read default`). */
function callLine(call: Call): string {
  return `${call.path.slice(call.path.lastIndexOf('.') + 1)} ${call.namespace ?? ''}`;
}

/** An Answer for exactly this request (and namespace, when given); any other is refused. */
export function exactly(request: object, answer: unknown, namespace?: string): Answer {
  return (got, gotNamespace) => {
    if (!isDeepStrictEqual(got, request) || (namespace !== undefined && gotNamespace !== namespace)) {
      throw new UnexpectedCallError(`set up for ${JSON.stringify(request)}${namespace !== undefined ? ` in ${namespace}` : ''} only`);
    }
    return answer;
  };
}

/** A ContainerdApi answering from routes by method path, recording every call it gets. */
export class FakeApi implements ContainerdApi {
  readonly address = fakeAddress;
  readonly calls: Call[] = [];
  private readonly guard: CallGuard;

  constructor(t: TestContext, private readonly routes: Routes, readonly methods = new MethodTable()) {
    this.guard = new CallGuard(t);
  }

  /** The calls so far as callLine writes them. */
  get lines(): string[] {
    return this.calls.map(callLine);
  }

  /** An aborted signal rejects with its reason, before or after the answer, as a cancelled call would. */
  async unary<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string, options: CallOptions = {}): Promise<Res> {
    options.signal?.throwIfAborted();
    const answer = await this.call('unary', method, request, namespace, options);
    options.signal?.throwIfAborted();
    return answer as Res;
  }

  streamAll<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace?: string): Promise<Res[]> {
    return this.call('stream', method, request, namespace) as Promise<Res[]>;
  }

  /** A stream route's messages handed over one by one; an aborted signal ends it with its reason. */
  async *streamEach<Req extends object, Res>(method: Method<Req, Res>, request: Req, namespace: string | undefined, signal?: AbortSignal): AsyncGenerator<Res> {
    for (const item of (await this.call('stream', method, request, namespace)) as Res[]) {
      signal?.throwIfAborted();
      yield item;
    }
  }

  private async call<Req extends object>(kind: Call['kind'], method: Method<Req, unknown>, request: Req, namespace: string | undefined, options: CallOptions = {}): Promise<unknown> {
    await Promise.resolve(); // replies come later, as over a socket
    const fields = request as Record<string, unknown>;
    this.calls.push({ kind, path: method.path, request: fields, ...(namespace !== undefined ? { namespace } : {}),
      ...(options.lease !== undefined ? { lease: options.lease } : {}), ...(options.noDeadline ? { noDeadline: true } : {}) });
    const where = `${kind} ${method.path} ${JSON.stringify(request)} in ${namespace ?? '(no namespace)'}`;
    try {
      method.serialize(request); // the request must encode with our .proto
    } catch (error) {
      this.guard.refuse(`${where}: does not encode: ${(error as Error).message}`);
    }
    const answer = this.routes[kind]?.[method.path];
    if (!answer) {
      const otherKind = kind === 'unary' ? 'stream' : 'unary';
      this.guard.refuse(this.routes[otherKind]?.[method.path] ? `${where}: set up as a ${otherKind} call` : `unexpected ${where}`);
    }
    try {
      return await answer(fields, namespace); // awaited: an async answer's refusal is caught too
    } catch (error) {
      if (error instanceof UnexpectedCallError) this.guard.refuse(`unexpected request: ${where}: ${error.message}`);
      throw error;
    }
  }
}
