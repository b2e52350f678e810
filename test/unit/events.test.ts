// Decoding real envelopes (captured from containerd 1.6, 1.7 and 2.x) and summarizing batches.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventDecoder, subscribeMethod, summarize, topicArea, type ContainerdEvent } from '../../src/containerd/events/events';
import { MethodTable } from '../../src/containerd/proto/codec';
import { capturedEnvelopes, type CapturedEnvelope } from './eventsFixtures';

const subscribe = subscribeMethod(new MethodTable());
const decoder = new EventDecoder();
const sha = 'sha256:90170d3b0dcd054529e8336200c15c574cecd49a254276669d31d18b116ced49';

function decoded(version: CapturedEnvelope['version'], topic: string, nth = 0): ContainerdEvent {
  const found = capturedEnvelopes.filter((e) => e.version === version && e.topic === topic)[nth];
  assert.ok(found, `no captured ${topic} from ${version}`);
  return decoder.decode(subscribe.deserialize(Buffer.from(found.base64, 'base64')));
}

describe('EventDecoder on captured envelopes', () => {
  it('subscribes at the path containerd serves', () => {
    assert.equal(subscribe.path, '/containerd.services.events.v1.Events/Subscribe');
    // No filter: every namespace's events. A filter travels as field 1.
    assert.equal(subscribe.serialize({ filters: [] }).length, 0);
    assert.deepEqual([...subscribe.serialize({ filters: ['namespace==k8s.io'] })], [0x0a, 17, ...Buffer.from('namespace==k8s.io')]);
  });

  it('decodes every captured envelope: topic, namespace, timestamp and a payload for the explorer topics', () => {
    for (const captured of capturedEnvelopes) {
      const event = decoder.decode(subscribe.deserialize(Buffer.from(captured.base64, 'base64')));
      assert.equal(event.topic, captured.topic);
      assert.ok(event.timestamp instanceof Date && event.timestamp.getUTCFullYear() >= 2024, `${captured.topic}: ${String(event.timestamp)}`);
      if (topicArea(captured.topic)) assert.ok(event.payload, `${captured.version} ${captured.topic} has no payload`);
    }
  });

  it('reads namespace events; 1.6 sends them in the caller namespace, 1.7+ in the named one', () => {
    const old = decoded('1.6', '/namespaces/create');
    assert.equal(old.typeUrl, 'containerd.events.NamespaceCreate');
    assert.equal(old.namespace, 'default');
    assert.deepEqual(old.payload, { name: 'capns', labels: { a: 'b' } });
    assert.equal(decoded('1.7', '/namespaces/create').namespace, 'capns');
    assert.deepEqual(decoded('2.x', '/namespaces/update').payload, { name: 'capns', labels: { c: 'd' } });
  });

  it('reads image events, whose type lives in the images service package', () => {
    const created = decoded('1.6', '/images/create');
    assert.equal(created.typeUrl, 'containerd.services.images.v1.ImageCreate');
    assert.equal(created.namespace, 'capns');
    assert.deepEqual(created.payload, { name: 'docker.io/library/busybox:cap', labels: {} });
    assert.deepEqual(decoded('2.x', '/images/update').payload, { name: 'docker.io/library/busybox:cap', labels: { x: 'y' } });
    assert.deepEqual(decoded('1.6', '/images/delete').payload, { name: 'docker.io/library/busybox:cap' });
  });

  it('reads snapshot events; the snapshotter is named from 1.7 on', () => {
    const prepare16 = decoded('1.6', '/snapshot/prepare');
    assert.equal(prepare16.typeUrl, 'containerd.events.SnapshotPrepare');
    assert.match(String(prepare16.payload?.key), /^extract-\S+ sha256:/);
    assert.equal(prepare16.payload?.parent, '');
    assert.equal(prepare16.payload?.snapshotter, '');
    assert.equal(decoded('1.7', '/snapshot/prepare').payload?.snapshotter, 'overlayfs');
    assert.equal(decoded('1.6', '/snapshot/commit').payload?.name, sha);
    // The garbage collector's removal of the image's layer (1.7+; 1.6 sends none).
    assert.deepEqual(decoded('1.7', '/snapshot/remove').payload, { key: sha, snapshotter: 'overlayfs' });
    assert.deepEqual(decoded('2.x', '/snapshot/remove').payload, { key: 'cap-2x-28439', snapshotter: 'overlayfs' });
  });

  it('reads container events', () => {
    assert.deepEqual(decoded('1.6', '/containers/create').payload, { id: 'cap-16-27865', image: 'docker.io/library/busybox:cap', runtime: { name: 'io.containerd.runc.v2' } });
    assert.deepEqual(decoded('2.x', '/containers/delete').payload, { id: 'capp-28439' });
  });

  it('reads task events, skipping the fields we do not declare (rootfs mounts, io)', () => {
    const create = decoded('1.6', '/tasks/create');
    assert.equal(create.payload?.container_id, 'cap-16-27865');
    assert.equal(create.payload?.pid, 27939);
    assert.deepEqual(decoded('1.6', '/tasks/start').payload, { container_id: 'cap-16-27865', pid: 27939 });
    const exit = decoded('1.6', '/tasks/exit');
    assert.equal(exit.typeUrl, 'containerd.events.TaskExit');
    assert.equal(exit.payload?.exit_status, 3);
    assert.equal(exit.payload?.id, 'cap-16-27865');
    assert.ok(exit.payload?.exited_at instanceof Date);
    assert.equal((exit.payload.exited_at).toISOString(), '2026-11-22T08:05:48.389Z');
    assert.equal(decoded('1.6', '/tasks/delete').payload?.exit_status, 3);
    assert.deepEqual(decoded('1.6', '/tasks/paused').payload, { container_id: 'capp-27865' });
    assert.equal(decoded('2.x', '/tasks/exit').payload?.exit_status, 137);
  });

  it('keeps events of undeclared types, without a payload', () => {
    const content = decoded('2.x', '/content/create');
    assert.equal(content.typeUrl, 'containerd.events.ContentCreate');
    assert.equal(content.namespace, 'capns');
    assert.equal(content.payload, undefined);
  });

  it('accepts the type.googleapis.com/ form and survives bad bytes and a missing event', () => {
    assert.deepEqual(decoder.payload('type.googleapis.com/containerd.events.TaskOOM', Buffer.from([0x0a, 1, 0x63])), { container_id: 'c' });
    assert.equal(decoder.payload('containerd.events.TaskOOM', Buffer.from([0x0a])), undefined);
    // Bad bytes of a type with a Timestamp field (TaskExit.exited_at): no payload, no throw.
    assert.equal(decoder.payload('containerd.events.TaskExit', Buffer.from([0x0a])), undefined);
    assert.equal(decoder.payload('', Buffer.alloc(0)), undefined);
    assert.deepEqual(decoder.decode({ namespace: 'n', topic: '/x', timestamp: null, event: null }), { namespace: 'n', topic: '/x', typeUrl: '' });
  });

  it('leaves a Timestamp the event did not carry undefined (a TaskExit without exited_at)', () => {
    // TaskExit{container_id: "c" (1), exit_status: 3 (4)}, field numbers from containerd's api/events/task.proto.
    const payload = decoder.payload('containerd.events.TaskExit', Buffer.from([0x0a, 1, 0x63, 0x20, 3]));
    assert.equal(payload?.container_id, 'c');
    assert.equal(payload?.exit_status, 3);
    assert.equal(payload?.exited_at, undefined);
  });
});

describe('summarize', () => {
  const event = (topic: string, namespace: string, payload?: Record<string, unknown>): ContainerdEvent => ({ topic, namespace, typeUrl: '', ...(payload ? { payload } : {}) });

  it('names the blobs each /content/delete removed and reloads that namespace\'s images, nothing else', () => {
    const summary = summarize([
      event('/content/delete', 'a', { digest: 'sha256:1' }), event('/content/delete', 'a', { digest: 'sha256:2' }),
      event('/content/delete', 'b', { digest: 'sha256:1' }), event('/content/create', 'c', { digest: 'sha256:3' }), event('/content/delete', 'd'),
      event('/content/delete', 'e', { digest: '' }),
    ]);
    assert.deepEqual(summary.contentDeleted, new Map([['a', new Set(['sha256:1', 'sha256:2'])], ['b', new Set(['sha256:1'])]]));
    assert.deepEqual(summary.images, new Set(['a', 'b']));
    assert.equal(summary.namespaces.size + summary.containers.size + summary.tasks.size + summary.snapshots.size, 0);
  });

  it('maps topics to areas', () => {
    assert.equal(topicArea('/snapshot/prepare'), 'snapshots');
    assert.equal(topicArea('/tasks/exit'), 'tasks');
    assert.equal(topicArea('/content/create'), undefined);
    assert.equal(topicArea('/sandboxes/create'), undefined);
    assert.equal(topicArea('garbage'), undefined);
  });

  it('says which namespaces and areas a batch touched', () => {
    const summary = summarize([
      event('/images/create', 'a'), event('/tasks/exit', 'b'), event('/tasks/start', 'b'), event('/snapshot/remove', 'c'),
      event('/containers/delete', 'a'), event('/content/create', 'z'),
    ]);
    assert.deepEqual(summary, {
      namespaces: new Set(['a', 'b', 'c']), images: new Set(['a']), containers: new Set(['a']), tasks: new Set(['b']), snapshots: new Set(['c']), namespaceList: false, exits: new Set(['b']), contentDeleted: new Map(),
    });
  });

  it('takes a namespace event\'s namespace from its payload (1.6 sends the caller\'s)', () => {
    const batch = capturedEnvelopes.filter((e) => e.version === '1.6').map((e) => decoder.decode(subscribe.deserialize(Buffer.from(e.base64, 'base64'))));
    const summary = summarize(batch);
    assert.equal(summary.namespaceList, true);
    assert.deepEqual(summary.namespaces, new Set(['capns']));
    assert.deepEqual(summary.images, new Set(['capns']));
    assert.deepEqual(summary.snapshots, new Set(['capns']));
  });

  it('falls back to the envelope\'s namespace when a namespace event names none', () => {
    const summary = summarize([event('/namespaces/delete', 'gone', { name: '' })]);
    assert.equal(summary.namespaceList, true);
    assert.deepEqual(summary.namespaces, new Set(['gone']));
  });

  it('is empty for a batch of topics no view shows', () => {
    const summary = summarize([event('/content/create', 'a'), event('/sandboxes/start', 'a')]);
    assert.equal(summary.namespaceList, false);
    assert.equal(summary.namespaces.size + summary.images.size + summary.containers.size + summary.tasks.size + summary.snapshots.size, 0);
  });
});
