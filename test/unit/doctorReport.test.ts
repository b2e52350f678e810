import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EndpointStatus } from '../../src/containerd/connection/endpointStatus';
import { ContainerdUnreachableError } from '../../src/containerd/connection/errors';
import type { DoctorFinding } from '../../src/doctor/doctorCheck';
import { knownProblems } from '../../src/doctor/knownProblems';
import { renderReport, summaryLine } from '../../src/doctor/report';
import { scopeChoices, scopeStatusText } from '../../src/model/scopeStatus';

const at = new Date('2026-12-01T03:00:00Z');
const user = { name: 'alice', uid: 1000 };
const f = (check: DoctorFinding['check'], level: DoctorFinding['level'], message: string, extra: Partial<DoctorFinding> = {}): DoctorFinding => ({ check, level, message, fix: '', ...extra });

test('the report: a summary, areas in a fixed order, worst first within each, evidence as code and the fix', () => {
  const text = renderReport({
    generatedAt: at, user,
    findings: [
      f('tools', 'ok', 'nerdctl: 2.3.5.'),
      f('endpoint', 'ok', 'rootful answers.'),
      f('overlay', 'error', 'overlay on overlay.', { fix: 'bind-mount it', evidence: ['/var/lib/containerd is on overlay', 'a `tick` inside'] }),
      f('rootless', 'warning', 'cgroup v1.', { fix: 'boot with v2' }),
      f('configuration', 'info', 'No nerdctl.toml.'),
    ],
  });
  assert.equal(text, [
    '# containerd doctor',
    '',
    '2026-12-01T03:00:00.000Z, as alice (uid 1000). 1 error, 1 warning',
    '',
    '## containerd endpoints',
    '',
    '- ❌ error (overlay): overlay on overlay.',
    '  - seen: `/var/lib/containerd is on overlay`',
    '  - seen: ``a `tick` inside``',
    '  - fix: bind-mount it',
    '- ✅ ok (endpoint): rootful answers.',
    '',
    '## Rootless',
    '',
    '- ⚠️ warning (rootless): cgroup v1.',
    '  - fix: boot with v2',
    '',
    '## Tools',
    '',
    '- ✅ ok (tools): nerdctl: 2.3.5.',
    '',
    '## Configuration',
    '',
    '- ℹ️ info (configuration): No nerdctl.toml.',
    '',
  ].join('\n'));
});

test('the report opens with what the failed command showed, when the doctor was offered for it', () => {
  const seen = f('introspection', 'error', 'no Server.', { fix: 'upgrade' });
  const text = renderReport({ generatedAt: at, user, findings: [f('buildkitd', 'ok', 'answers.'), f('binfmt', 'info', 'none asked.'), f('cni', 'ok', 'plugins.'), f('dockerBuilder', 'warning', 'classic.')], seen });
  assert.match(text, /^# containerd doctor\n\n.*1 warning\n\n## What the failed command showed\n\n- ❌ error \(introspection\): no Server\.\n {2}- fix: upgrade\n\n## BuildKit\n\n- ⚠️ warning \(dockerBuilder\): classic\.\n- ℹ️ info \(binfmt\): none asked\.\n- ✅ ok \(buildkitd\): answers\.\n\n## Networking \(CNI\)\n/);
});

test('the summary counts errors and warnings only', () => {
  assert.equal(summaryLine([f('tools', 'ok', ''), f('tools', 'info', '')]), 'No problems found.');
  assert.equal(summaryLine([f('tools', 'error', ''), f('tools', 'error', '')]), '2 errors');
  assert.equal(summaryLine([f('tools', 'warning', ''), f('tools', 'warning', ''), f('tools', 'error', '')]), '1 error, 2 warnings');
  assert.equal(summaryLine([f('tools', 'warning', '')]), '1 warning');
});

test('known problems: each kind once, its first line as evidence; sockets tell containerd from buildkitd', () => {
  const output = [
    'time="x" level=fatal msg="failed to create shim task: ... failed to mount rootfs component: invalid argument"',
    'FATA[0000] rpc error: code = Unimplemented desc = unknown method Server for service containerd.services.introspection.v1.Introspection',
    'again: failed to mount rootfs component',
    'the --mount option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/',
    'ERROR: no buildkit host is available, tried 2 candidates',
    'exec /hello: exec format error',
  ].join('\n');
  const found = knownProblems(output, false);
  assert.deepEqual(found.map((x) => x.check), ['overlay', 'introspection', 'dockerBuilder', 'buildkitd', 'binfmt']);
  assert.deepEqual(found[0]?.evidence, ['time="x" level=fatal msg="failed to create shim task: ... failed to mount rootfs component: invalid argument"']);
  assert.deepEqual(found[4]?.evidence, ['exec /hello: exec format error']);
  const denied = knownProblems('error: dial unix ///run/containerd/containerd.sock: connect: permission denied"', false);
  assert.equal(denied[0]?.check, 'endpoint');
  assert.equal(denied[0]?.message, "Permission denied on containerd's socket /run/containerd/containerd.sock.");
  assert.match(denied[0]?.fix ?? '', /belongs to root/);
  assert.match(knownProblems('dial unix /run/containerd/containerd.sock: connect: permission denied', true)[0]?.fix ?? '', /Even root/);
  const bkDenied = knownProblems('dial unix /run/buildkit/buildkitd.sock: connect: permission denied', false);
  assert.equal(bkDenied[0]?.check, 'buildkitd');
  assert.match(bkDenied[0]?.message ?? '', /buildkitd's socket \/run\/buildkit\/buildkitd\.sock/);
  const missing = knownProblems('dial unix /run/containerd/containerd.sock: connect: no such file or directory', false);
  assert.equal(missing[0]?.message, 'No containerd listens at /run/containerd/containerd.sock.');
  assert.match(missing[0]?.fix ?? '', /Nothing listens there/);
  assert.match(knownProblems('dial unix /run/containerd/containerd.sock: connect: connection refused', false)[0]?.fix ?? '', /left its socket behind/);
  assert.equal(knownProblems('dial unix /run/buildkit/buildkitd.sock: connect: no such file or directory', false)[0]?.message, 'No buildkitd listens at /run/buildkit/buildkitd.sock.');
  assert.deepEqual(knownProblems('all fine\r\nreally', false), []);
});

const endpoint = { address: '/run/containerd/containerd.sock', label: 'rootful', source: 'rootful' as const };
const up: EndpointStatus = { endpoint, reachable: true, version: { version: 'v2.1.9', revision: 'r' }, namespaces: [{ name: 'default', labels: {} }, { name: 'k8s.io', labels: {} }] };
const down: EndpointStatus = { endpoint: { address: '/run/k3s/containerd/containerd.sock', label: 'k3s', source: 'k3s' }, reachable: false, error: new ContainerdUnreachableError('permissionDenied', '/run/k3s/containerd/containerd.sock', '') };

test('the status bar: connecting, the scope with its endpoint\'s name, nothing reachable as a problem', () => {
  assert.deepEqual(scopeStatusText(undefined, undefined), { text: '$(sync~spin) containerd', tooltip: 'Connecting to containerd…', problem: false });
  assert.deepEqual(scopeStatusText({ address: endpoint.address, namespace: 'k8s.io' }, [up, down]), {
    text: '$(server-environment) rootful · k8s.io',
    tooltip: 'Explorer scope: namespace k8s.io of /run/containerd/containerd.sock (containerd v2.1.9). Click to switch.',
    problem: false,
  });
  assert.equal(scopeStatusText({ address: endpoint.address, namespace: undefined }, [up]).text, '$(server-environment) rootful · all namespaces');
  const chosenDown = scopeStatusText({ address: down.endpoint.address, namespace: 'default' }, [up, down]);
  assert.equal(chosenDown.problem, true);
  assert.match(chosenDown.tooltip, /not answering now/);
  const none = scopeStatusText(undefined, [down]);
  assert.equal(none.problem, true);
  assert.equal(none.text, '$(error) containerd: not reachable');
  assert.match(none.tooltip, /\/run\/k3s\/containerd\/containerd\.sock/);
  assert.match(scopeStatusText(undefined, []).tooltip, /none found/);
  assert.equal(scopeStatusText({ address: '/gone', namespace: 'x' }, [up]).text, '$(server-environment) /gone · x');
});

test('the switcher: each namespace then all of them per reachable endpoint, the current one marked, unreachable ones with why', () => {
  const items = scopeChoices([up, down], { address: endpoint.address, namespace: 'k8s.io' });
  assert.deepEqual(items.map((i) => `${i.kind}:${i.label}:${i.kind === 'scope' ? String(i.current) : i.address}`), [
    'scope:default:false', 'scope:k8s.io:true', 'scope:all namespaces:false', 'unreachable:$(error) k3s:/run/k3s/containerd/containerd.sock',
  ]);
  assert.equal(items[0]?.description, 'rootful · /run/containerd/containerd.sock');
  assert.match(items[3]?.description ?? '', /^\/run\/k3s\/containerd\/containerd\.sock: Cannot reach containerd/);
  const plain: EndpointStatus = { ...up, endpoint: { address: '/x.sock', label: '/x.sock', source: 'configured' } };
  assert.equal(scopeChoices([plain], undefined)[0]?.description, '/x.sock');
  const all = scopeChoices([plain], { address: '/x.sock', namespace: undefined });
  assert.deepEqual(all.map((i) => i.kind === 'scope' && i.current), [false, false, true]);
});
