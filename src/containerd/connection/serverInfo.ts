// What containerd says about itself (Introspection.Server): its pid and PID namespace (1.7 and
// later), and the deprecated features in use. An old containerd (before 1.4: 1.4.13 has it) has no such method, and
// nerdctl, which asks it first, fails there with "unknown method Server".
import { longToNumber, type ContainerdApi } from './api';
import { ContainerdUnreachableError } from './errors';

export interface Deprecation { readonly id: string; readonly message: string }

export type ServerInfo =
  | { readonly implemented: true; readonly uuid: string; readonly pid?: number; readonly pidns?: number; readonly deprecations: readonly Deprecation[] }
  | { readonly implemented: false; readonly detail: string };

interface ServerMessage {
  readonly uuid: string;
  readonly pid: number | string;
  readonly pidns: number | string;
  readonly deprecations: { readonly id: string; readonly message: string }[];
}

/**
 * Asks a daemon that already answered Version. Its UNIMPLEMENTED (which the client reads as "not
 * containerd") then means an old containerd, not another server; other errors are thrown.
 */
export async function readServerInfo(api: ContainerdApi): Promise<ServerInfo> {
  const method = api.methods.method<object, ServerMessage>('containerd.services.introspection.v1.Introspection', 'Server');
  try {
    const res = await api.unary(method, {});
    const pid = longToNumber(res.pid);
    const pidns = longToNumber(res.pidns);
    return {
      implemented: true,
      uuid: res.uuid,
      ...(pid > 0 ? { pid } : {}),
      ...(pidns > 0 ? { pidns } : {}),
      deprecations: res.deprecations.map((d) => ({ id: d.id, message: d.message })),
    };
  } catch (error) {
    if (error instanceof ContainerdUnreachableError && error.reason === 'notContainerd') return { implemented: false, detail: error.detail };
    throw error;
  }
}
