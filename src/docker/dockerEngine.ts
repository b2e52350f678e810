// Docker's own names and states of the containers it keeps in containerd (namespace `moby`, where
// containerd knows them only by a 64-hex id), read from the Docker Engine API over its unix socket:
// GET /containers/json?all=1. Never throws: a Docker that cannot be asked is a problem in words.
import { request } from 'node:http';

export interface DockerContainer {
  readonly id: string;
  /** The name without Docker's leading slash. */
  readonly name: string;
  /** created, running, paused, restarting, removing, exited, dead. */
  readonly state: string;
  /** Docker's own words: "Up 2 minutes", "Exited (0) 3 seconds ago". */
  readonly status: string;
}

export type DockerContainers = { readonly ok: true; readonly byId: ReadonlyMap<string, DockerContainer> } | { readonly ok: false; readonly problem: string };

/** Docker's JSON list; entries without an id are dropped, a missing name reads as the short id. */
export function parseDockerContainers(text: string): DockerContainer[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  return (value as unknown[]).flatMap((entry): DockerContainer[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { Id, Names, State, Status } = entry as { Id?: unknown; Names?: unknown; State?: unknown; Status?: unknown };
    if (typeof Id !== 'string' || !/^[0-9a-f]{64}$/.test(Id)) return [];
    const first = Array.isArray(Names) && typeof Names[0] === 'string' ? Names[0].replace(/^\//, '') : '';
    return [{ id: Id, name: first || Id.slice(0, 12), state: typeof State === 'string' ? State : '', status: typeof Status === 'string' ? Status : '' }];
  });
}

/** What a failed connection to the socket means, for the view's message. */
export function dockerProblem(code: string | undefined, socket: string, detail: string): string {
  switch (code) {
    case 'ENOENT':
      return `no Docker Engine socket at ${socket}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied on ${socket} (Docker's socket belongs to root and the docker group)`;
    case 'ECONNREFUSED':
      return `nothing answers at ${socket} (dockerd stopped and left its socket)`;
    default:
      return `${socket}: ${detail}`;
  }
}

export function listDockerContainers(socket: string, timeoutMs = 3_000): Promise<DockerContainers> {
  return new Promise((resolve) => {
    const call = request({ socketPath: socket, path: '/containers/json?all=1', method: 'GET', headers: { Host: 'docker' }, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) return resolve({ ok: false, problem: `Docker at ${socket} answered HTTP ${response.statusCode ?? '?'}: ${body.trim().slice(0, 200)}` });
        const list = parseDockerContainers(body);
        resolve(list ? { ok: true, byId: new Map(list.map((c) => [c.id, c])) } : { ok: false, problem: `${socket} did not answer with Docker's container list (is it Docker's socket?)` });
      });
    });
    call.on('timeout', () => call.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    call.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, problem: dockerProblem(error.code, socket, error.message) }));
    call.end();
  });
}
