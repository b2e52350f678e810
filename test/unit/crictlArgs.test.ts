// crictl for Kubernetes' containers: which containers are CRI's, the invocation on a daemon's
// socket (sudo only where the caller cannot open it, -n in the background), and the logs argv.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crictlInvocation, crictlLogsArgs, isCriContainer } from '../../src/nerdctl/crictl';

const daemon = { address: '/run/k3s/containerd/containerd.sock', namespace: 'k8s.io', callerCanOpen: false };
const endpoints = ['--runtime-endpoint=unix:///run/k3s/containerd/containerd.sock', '--image-endpoint=unix:///run/k3s/containerd/containerd.sock'];

describe('crictl', () => {
  it('is for the containers and sandboxes the CRI plugin made, by their kind label', () => {
    assert.equal(isCriContainer({ 'io.cri-containerd.kind': 'container' }), true);
    assert.equal(isCriContainer({ 'io.cri-containerd.kind': 'sandbox' }), true);
    assert.equal(isCriContainer({ 'io.cri-containerd.kind': 'other' }), false);
    assert.equal(isCriContainer({ 'nerdctl/name': 'web' }), false);
  });

  it('names the socket as both endpoints, and adds sudo only for a caller who cannot open it', () => {
    assert.deepEqual(crictlInvocation(['crictl'], daemon, { uid: 0 }, 'background'), { ok: true, process: { file: 'crictl', args: endpoints } });
    assert.deepEqual(crictlInvocation(['crictl'], { ...daemon, callerCanOpen: true }, { uid: 1000 }, 'terminal'), { ok: true, process: { file: 'crictl', args: endpoints } });
    assert.deepEqual(crictlInvocation(['crictl'], daemon, { uid: 1000 }, 'terminal'), { ok: true, process: { file: 'sudo', args: ['crictl', ...endpoints] } });
    assert.deepEqual(crictlInvocation(['crictl'], daemon, { uid: 1000 }, 'background'), { ok: true, process: { file: 'sudo', args: ['-n', 'crictl', ...endpoints] } });
    assert.deepEqual(crictlInvocation(['sudo', 'crictl'], daemon, { uid: 1000 }, 'background'), { ok: true, process: { file: 'sudo', args: ['-n', 'crictl', ...endpoints] } });
    assert.deepEqual(crictlInvocation(['/opt/bin/crictl', '--timeout=5s'], daemon, { uid: 0 }, 'terminal'), { ok: true, process: { file: '/opt/bin/crictl', args: ['--timeout=5s', ...endpoints] } });
    assert.deepEqual(crictlInvocation([], daemon, { uid: 0 }, 'terminal'), { ok: false, reason: 'The crictl command (setting containerd.crictl.command) is empty: set it to e.g. ["crictl"].' });
  });

  it('gives crictl an empty config when the user has none, so it does not warn about the missing file on every run', () => {
    assert.deepEqual(crictlInvocation(['crictl'], daemon, { uid: 0 }, 'terminal', false), { ok: true, process: { file: 'crictl', args: ['--config=/dev/null', ...endpoints] } });
    assert.deepEqual(crictlInvocation(['crictl'], daemon, { uid: 0 }, 'terminal', true), { ok: true, process: { file: 'crictl', args: endpoints } });
  });

  it('builds logs with nerdctl\'s log flags and the id after --', () => {
    assert.deepEqual(crictlLogsArgs('4f2a', { follow: true, tail: 500, timestamps: false }), ['logs', '--follow', '--tail=500', '--', '4f2a']);
    assert.deepEqual(crictlLogsArgs('4f2a', { follow: false, timestamps: true }), ['logs', '--timestamps', '--', '4f2a']);
    assert.throws(() => crictlLogsArgs('--previous', { follow: false, timestamps: false }), /"--previous" is not a container id or name/);
    assert.throws(() => crictlLogsArgs('4f2a', { follow: false, tail: -2, timestamps: false }), /not -2/);
  });
});
