// Tasks (the running side of containers) over containerd's Tasks service: state, pids and the
// actions kill and delete. Metrics and process lists (typed payloads) live in taskPayloads.ts.
import { protoDate, type ContainerdApi, type ProtoTimestamp } from '../connection/api';

const service = 'containerd.services.tasks.v1.Tasks';

export type TaskState = 'created' | 'running' | 'paused' | 'pausing' | 'stopped' | 'unknown';

export interface TaskSummary {
  readonly pid: number;
  readonly state: TaskState;
  /** Only for a stopped task (a running one reports 0, which means nothing yet). */
  readonly exitStatus?: number;
  readonly exitedAt?: Date;
}

/** containerd.v1.types.Process as the codec decodes it (enums as their names). */
interface ProcessMessage {
  readonly container_id: string;
  readonly id: string;
  readonly pid: number;
  readonly status: string;
  readonly exit_status: number;
  readonly exited_at: ProtoTimestamp | null;
}

const states: Readonly<Record<string, TaskState>> = {
  CREATED: 'created', RUNNING: 'running', STOPPED: 'stopped', PAUSED: 'paused', PAUSING: 'pausing', UNKNOWN: 'unknown',
};

/** containerd.v1.types.Status (by name, as the codec gives enums; numbers 0..5 too) as a TaskState. */
export function taskState(status: string | number): TaskState {
  if (typeof status === 'number') return (['unknown', 'created', 'running', 'stopped', 'paused', 'pausing'] as const)[status] ?? 'unknown';
  return states[status] ?? 'unknown';
}

function toSummary(process: ProcessMessage): TaskSummary {
  const state = taskState(process.status);
  if (state !== 'stopped') return { pid: process.pid, state };
  const exitedAt = protoDate(process.exited_at);
  return { pid: process.pid, state, exitStatus: process.exit_status, ...(exitedAt ? { exitedAt } : {}) };
}

/**
 * Every task of a namespace by container id. In Tasks.List a task's `id` is its container's id
 * (`container_id` stays empty there on 1.6 to 2.x); exec processes are not listed.
 */
export async function listTasks(api: ContainerdApi, namespace: string): Promise<Map<string, TaskSummary>> {
  const method = api.methods.method<{ filter?: string }, { tasks: ProcessMessage[] }>(service, 'List');
  const res = await api.unary(method, {}, namespace);
  return new Map(res.tasks.map((task) => [task.id || task.container_id, toSummary(task)]));
}

/** The task of one container; a container without a task is NOT_FOUND (ContainerdRequestError). */
export async function getTask(api: ContainerdApi, namespace: string, containerId: string): Promise<TaskSummary> {
  const method = api.methods.method<{ container_id: string }, { process: ProcessMessage | null }>(service, 'Get');
  const res = await api.unary(method, { container_id: containerId }, namespace);
  if (!res.process) throw new Error(`containerd answered Tasks.Get for ${containerId} without a process`);
  return toSummary(res.process);
}

/** A signal name (SIGTERM, TERM, sigterm) or number. */
export type Signal = string | number;

/**
 * Linux signal numbers. Not os.constants.signals: the extension host may run on macOS (a socket
 * forwarded from Lima or Colima) where the numbers differ, and containerd always runs on Linux.
 */
const linuxSignals: Readonly<Record<string, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGIOT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGSTKFLT: 16, SIGCHLD: 17, SIGCONT: 18,
  SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27,
  SIGWINCH: 28, SIGIO: 29, SIGPOLL: 29, SIGPWR: 30, SIGSYS: 31,
};

/** A signal as the number containerd expects. */
export function signalNumber(signal: Signal): number {
  if (typeof signal === 'number') return signal;
  const upper = signal.trim().toUpperCase();
  const value = /^\d+$/.test(upper) ? Number(upper) : linuxSignals[upper.startsWith('SIG') ? upper : `SIG${upper}`];
  if (value === undefined) throw new Error(`unknown signal ${signal}`);
  return value;
}

/** Sends a signal to a task's init process (`all` also reaches exec'd processes, as `ctr tasks kill --all`). */
export async function killTask(api: ContainerdApi, namespace: string, containerId: string, signal: Signal = 'SIGTERM', all = false): Promise<void> {
  const method = api.methods.method<{ container_id: string; signal: number; all: boolean }, object>(service, 'Kill');
  await api.unary(method, { container_id: containerId, signal: signalNumber(signal), all }, namespace);
}

export interface DeletedTask {
  readonly pid: number;
  readonly exitStatus: number;
  readonly exitedAt?: Date;
}

/** Deletes a stopped task (containerd refuses a running one: "cannot delete a running process", status UNKNOWN). */
export async function deleteTask(api: ContainerdApi, namespace: string, containerId: string): Promise<DeletedTask> {
  const method = api.methods.method<{ container_id: string }, { id: string; pid: number; exit_status: number; exited_at: ProtoTimestamp | null }>(service, 'Delete');
  const res = await api.unary(method, { container_id: containerId }, namespace);
  const exitedAt = protoDate(res.exited_at);
  return { pid: res.pid, exitStatus: res.exit_status, ...(exitedAt ? { exitedAt } : {}) };
}
