// A private registry as our users have one (TLS from their own CA, htpasswd logins), driven by the
// real nerdctl with the argv the extension builds, against private containerd 1.7 and 2.x: the
// failures a user meets first (untrusted CA, wrong password, logged out) each get the advice that
// fixes them, read from nerdctl's real output; login, push of every platform, pull into another
// namespace (the same index digest) and logout then work as ctr and the credentials file say.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pullArgs, pushArgs, tagArgs } from '../../src/nerdctl/containerArgs';
import { loggedInRegistries, loginArgs, logoutArgs, registryFailureAdvice } from '../../src/nerdctl/registry';
import type { RunResult } from '../../src/process/runner';
import { loadComponents, type ContainerdVersion } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { nerdctlFor, type NerdctlHarness } from '../harness/nerdctlEnv';
import { startRegistry, type Registry } from '../harness/registry';
import { importBusybox } from '../harness/sampleImage';

const versions: readonly ContainerdVersion[] = ['1.7', '2.x'];
const local = 'docker.io/library/busybox:registry';

for (const version of versions) {
  describe(`a private TLS registry through nerdctl on containerd ${version}`, () => {
    let daemon: ContainerdDaemon;
    let nerdctl: NerdctlHarness;
    let registry: Registry;
    let remote: string;
    let indexDigest: string;

    const nerdctlRun = (namespace: string, args: readonly string[], input?: string): Promise<RunResult> =>
      nerdctl.run(namespace, args, input !== undefined ? { input } : {});
    const succeeded = (result: RunResult): void => assert.equal(result.exitCode, 0, `${result.command}: ${result.stderr}`);
    const credentials = (): string[] => {
      const file = join(nerdctl.dockerConfig, 'config.json');
      return existsSync(file) ? loggedInRegistries(readFileSync(file, 'utf8')) : [];
    };
    const imageLine = async (namespace: string, name: string): Promise<string> =>
      (await daemon.ctr(['--namespace', namespace, 'images', 'ls'])).split('\n').find((l) => l.startsWith(`${name} `)) ?? '';

    before(async () => {
      const components = loadComponents();
      daemon = await startContainerd(version);
      nerdctl = nerdctlFor(daemon, components);
      registry = await startRegistry(components, join(daemon.dir, 'registry'));
      remote = `${registry.host}/team/busybox:v1`;
      await importBusybox(daemon, components.busybox, local, 'src');
      succeeded(await nerdctlRun('src', tagArgs(local, remote)));
      indexDigest = /sha256:[a-f0-9]{64}/.exec(await imageLine('src', remote))?.[0] ?? '';
      assert.ok(indexDigest, 'the tagged image has an index digest');
    });
    after(async () => {
      await registry?.stop();
      await daemon?.stop();
    });

    it('refuses a login while containerd does not trust the CA, and the advice says where the CA goes', async () => {
      const result = await nerdctlRun('src', loginArgs(registry.host, registry.username), registry.password);
      assert.notEqual(result.exitCode, 0, 'an untrusted certificate must not be accepted');
      const advice = registryFailureAdvice(registry.host, result.stderr, nerdctl.hostsDir);
      assert.ok(advice?.includes(`${nerdctl.hostsDir}/${registry.host}/ca.crt`), `advice for ${JSON.stringify(result.stderr)}: ${advice}`);
      assert.deepEqual(credentials(), []);
    });

    it('once the CA is in the hosts dir: a wrong password is refused with the login advice, the right one is stored', async () => {
      registry.trustIn(nerdctl.hostsDir);
      const wrong = await nerdctlRun('src', loginArgs(registry.host, registry.username), `${registry.password}-wrong`);
      assert.notEqual(wrong.exitCode, 0);
      assert.match(registryFailureAdvice(registry.host, wrong.stderr, nerdctl.hostsDir) ?? `none for ${wrong.stderr}`, /without a valid login/);
      assert.deepEqual(credentials(), []);
      succeeded(await nerdctlRun('src', loginArgs(registry.host, registry.username), registry.password));
      assert.deepEqual(credentials(), [registry.host]);
    });

    it('pushes every platform and pulls the image into another namespace with the same index digest', async () => {
      succeeded(await nerdctlRun('src', pushArgs(remote, true)));
      succeeded(await nerdctlRun('pulled', pullArgs(remote)));
      const line = await imageLine('pulled', remote);
      assert.ok(line.includes(indexDigest), `pulled: ${line}`);
      assert.match(line, /linux\/amd64,linux\/arm64/);
    });

    it('pushes a copy reduced to this machine\'s platform without --all-platforms (another digest)', async () => {
      const reduced = `${registry.host}/team/busybox:amd64-only`;
      succeeded(await nerdctlRun('src', tagArgs(local, reduced)));
      succeeded(await nerdctlRun('src', pushArgs(reduced)));
      succeeded(await nerdctlRun('reduced', pullArgs(reduced)));
      const line = await imageLine('reduced', reduced);
      assert.ok(line.length > 0 && !line.includes(indexDigest), `reduced: ${line}`);
      assert.doesNotMatch(line, /linux\/arm64/);
    });

    it('logs out: the credentials are gone and a pull is refused with the login advice', async () => {
      succeeded(await nerdctlRun('src', logoutArgs(registry.host)));
      assert.deepEqual(credentials(), []);
      const refused = await nerdctlRun('after-logout', pullArgs(remote));
      assert.notEqual(refused.exitCode, 0);
      assert.match(registryFailureAdvice(registry.host, refused.stderr, nerdctl.hostsDir) ?? `none for ${refused.stderr}`, /without a valid login/);
      assert.equal(await imageLine('after-logout', remote), '');
    });
  });
}
