// grpc-js takes ~40 ms to load, most of the activation budget, and nothing needs it before
// the first call to a daemon. The bundler keeps CommonJS modules lazy: their body
// runs at the first require(), so they are required here, on first use, not imported at the top.
import type * as Grpc from '@grpc/grpc-js';

export function grpcJs(): typeof Grpc {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred load, see above
  return require('@grpc/grpc-js') as typeof Grpc;
}
