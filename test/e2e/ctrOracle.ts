// ctr as the oracle of what the daemon holds, shared by the runner and the extension-host suite.

/** Runs ctr against the daemon under test; resolves with stdout. */
export type Ctr = (args: readonly string[]) => Promise<string>;

export interface CtrContainer {
  readonly id: string;
  /** `nerdctl/name`, else the id: what the Containers view labels the row with. */
  readonly name: string;
  /** The task state as the view words it, without the exit code: Running, Stopped, Created, ... */
  readonly state: string;
}

const stateWords: Readonly<Record<string, string>> = { RUNNING: 'Running', STOPPED: 'Stopped', PAUSED: 'Paused', PAUSING: 'Pausing', CREATED: 'Created' };

/** The containers of a namespace with their task state, sorted by id. */
export async function ctrContainers(ctr: Ctr, namespace: string): Promise<CtrContainer[]> {
  const ns = ['--namespace', namespace];
  const ids = (await ctr([...ns, 'containers', 'list', '--quiet'])).split('\n').map((l) => l.trim()).filter(Boolean).sort();
  // `TASK PID STATUS` rows after a header line.
  const tasks = new Map((await ctr([...ns, 'tasks', 'list'])).split('\n').slice(1)
    .map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 3).map((f): [string, string] => [f[0] ?? '', f[2] ?? '']));
  return Promise.all(ids.map(async (id): Promise<CtrContainer> => {
    const info = JSON.parse(await ctr([...ns, 'containers', 'info', id])) as { Labels?: Record<string, string> };
    const status = tasks.get(id);
    return { id, name: info.Labels?.['nerdctl/name'] ?? id, state: status ? (stateWords[status] ?? status) : 'Created' };
  }));
}
