// The Tasks service as the explorer uses it: task summaries from List and Get, the Kill and Delete
// requests the row actions send, and the Metrics and ListPids answers behind the stats document.
// Answers are shaped as the codec decodes containerd's (a running task's exited_at is Go's zero
// time); Metrics payloads are the ones captured from real tasks in test/fixtures/taskMetrics.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MethodTable } from '../../src/containerd/proto/codec';
import { taskMetrics, taskPids } from '../../src/containerd/tasks/taskPayloads';
import { deleteTask, getTask, killTask, listTasks, signalNumber } from '../../src/containerd/tasks/tasks';
import { exactly, FakeApi } from './fakeApi';

const methods = new MethodTable();
const tasks = '/containerd.services.tasks.v1.Tasks';
const goZero = { seconds: -62135596800, nanos: 0 };
const exitedAt = { seconds: 1795335300, nanos: 250_000_000 };

describe('task summaries', () => {
  it('lists tasks by container id, with an exit status and time only for stopped ones', async (t) => {
    const api = new FakeApi(t, { unary: {
      [`${tasks}/List`]: exactly({}, { tasks: [
        { container_id: '', id: 'web-1', pid: 32242, status: 'RUNNING', exit_status: 0, exited_at: goZero },
        { container_id: '', id: 'job-1', pid: 4100, status: 'STOPPED', exit_status: 137, exited_at: exitedAt },
        // Stopped before it ever ran (killed while created): no exit time to show.
        { container_id: '', id: 'never-1', pid: 0, status: 'STOPPED', exit_status: 255, exited_at: goZero },
        { container_id: 'paused-1', id: '', pid: 77, status: 'PAUSED', exit_status: 0, exited_at: null },
      ] }, 'team'),
    } }, methods);
    const list = await listTasks(api, 'team');
    assert.deepEqual([...list], [
      ['web-1', { pid: 32242, state: 'running' }],
      ['job-1', { pid: 4100, state: 'stopped', exitStatus: 137, exitedAt: new Date('2026-11-22T08:15:00.250Z') }],
      ['never-1', { pid: 0, state: 'stopped', exitStatus: 255 }],
      ['paused-1', { pid: 77, state: 'paused' }],
    ]);
  });

  it('gets one container\'s task, and says so when containerd answers without one', async (t) => {
    const api = new FakeApi(t, { unary: {
      [`${tasks}/Get`]: (request) => (request.container_id === 'job-1'
        ? { process: { container_id: 'job-1', id: 'job-1', pid: 4100, status: 'STOPPED', exit_status: 3, exited_at: exitedAt } }
        : { process: null }),
    } }, methods);
    assert.deepEqual(await getTask(api, 'default', 'job-1'), { pid: 4100, state: 'stopped', exitStatus: 3, exitedAt: new Date('2026-11-22T08:15:00.250Z') });
    await assert.rejects(getTask(api, 'default', 'web-1'), /Tasks\.Get for web-1 without a process/);
    assert.deepEqual(api.lines, ['Tasks/Get default', 'Tasks/Get default']);
  });
});

describe('task actions', () => {
  it('sends SIGTERM to the init process by default, and the signal asked for to every process with all', async (t) => {
    const kills: unknown[] = [];
    const api = new FakeApi(t, { unary: { [`${tasks}/Kill`]: (request, namespace) => { kills.push([namespace, request]); return {}; } } }, methods);
    await killTask(api, 'default', 'web-1');
    await killTask(api, 'k8s.io', 'web-2', ' kill ', true);
    assert.deepEqual(kills, [
      ['default', { container_id: 'web-1', signal: 15, all: false }],
      ['k8s.io', { container_id: 'web-2', signal: 9, all: true }],
    ]);
  });

  it('refuses a signal that is not a Linux signal name or a number, before asking containerd', async (t) => {
    const api = new FakeApi(t, {}, methods);
    for (const bad of ['SIG9', '9x', 'x9', 'RTMIN', '']) {
      assert.throws(() => signalNumber(bad), /unknown signal/, JSON.stringify(bad));
      await assert.rejects(killTask(api, 'default', 'web-1', bad), /unknown signal/);
    }
    assert.equal(signalNumber('15'), 15);
    assert.equal(signalNumber('sigwinch'), 28);
    assert.deepEqual(api.calls, []);
  });

  it('reports what a deleted task left: its pid, exit status and exit time', async (t) => {
    const api = new FakeApi(t, { unary: {
      [`${tasks}/Delete`]: (request) => (request.container_id === 'job-1'
        ? { id: 'job-1', pid: 4100, exit_status: 137, exited_at: exitedAt }
        : { id: 'fresh-1', pid: 4200, exit_status: 0, exited_at: goZero }),
    } }, methods);
    assert.deepEqual(await deleteTask(api, 'default', 'job-1'), { pid: 4100, exitStatus: 137, exitedAt: new Date('2026-11-22T08:15:00.250Z') });
    assert.deepEqual(await deleteTask(api, 'default', 'fresh-1'), { pid: 4200, exitStatus: 0 });
  });
});

/** A Tasks.Metrics answer captured from a real task (see test/fixtures/README.md). */
const captured = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'taskMetrics', 'containerd-2x-cgroupv1-limited.json'), 'utf8')) as {
  metric: { timestamp: { seconds: number; nanos: number }; data: { type_url: string; value: string } };
  ctr: { pids: { current: number }; memory: { usage: { usage: number } } };
};

describe('task statistics and processes', () => {
  it('asks Metrics for the one container, as ctr does, and decodes its statistics', async (t) => {
    const { timestamp, data } = captured.metric;
    const metric = { timestamp, id: 'metered', data: { type_url: data.type_url, value: Buffer.from(data.value, 'base64') } };
    const api = new FakeApi(t, { unary: { [`${tasks}/Metrics`]: exactly({ filters: ['id==metered'] }, { metrics: [metric] }, 'default') } }, methods);
    const stats = await taskMetrics(api, 'default', 'metered');
    assert.equal(stats.cgroup, 'v1');
    assert.equal(stats.pids, captured.ctr.pids.current);
    assert.equal(stats.memoryUsageBytes, captured.ctr.memory.usage.usage);
    assert.equal(stats.memoryLimitBytes, 64 * 1024 * 1024);
    assert.equal(stats.timestamp?.getTime(), timestamp.seconds * 1000 + Math.floor(timestamp.nanos / 1e6));
  });

  it('says why there are no statistics: no running task, or a runtime whose payload it cannot read', async (t) => {
    const api = new FakeApi(t, { unary: { [`${tasks}/Metrics`]: (request) => (String(request.filters) === 'id==hcs-1'
      ? { metrics: [{ timestamp: null, id: 'hcs-1', data: { type_url: 'io.containerd.runhcs.v1.Stats', value: Buffer.alloc(0) } }] }
      : { metrics: [] }) } }, methods);
    await assert.rejects(taskMetrics(api, 'default', 'stopped-1'), /no statistics for stopped-1 in namespace default: it has no running task/);
    await assert.rejects(taskMetrics(api, 'default', 'hcs-1'), /of type io\.containerd\.runhcs\.v1\.Stats, which this extension cannot read/);
  });

  it('lists a task\'s processes, naming the exec id of exec\'d ones only', async (t) => {
    // ProcessDetails{exec_id: "probe-1"} as `ctr tasks exec --exec-id probe-1` made runc report it.
    const details = { type_url: 'containerd.runc.v1.ProcessDetails', value: Buffer.from('Cgdwcm9iZS0x', 'base64') };
    const api = new FakeApi(t, { unary: { [`${tasks}/ListPids`]: exactly({ container_id: 'web-1' }, { processes: [
      { pid: 32242, info: null }, { pid: 32300, info: details }, { pid: 32301, info: null },
    ] }, 'default') } }, methods);
    assert.deepEqual(await taskPids(api, 'default', 'web-1'), [{ pid: 32242 }, { pid: 32300, execId: 'probe-1' }, { pid: 32301 }]);
  });
});
