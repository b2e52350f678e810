// Hostile `nerdctl/state-dir` labels: a listing must finish and show the label's ports whatever
// the label points at (a FIFO, /dev/zero, a huge file, a path outside nerdctl's data root).
// Real files in a private data root ($XDG_DATA_HOME/nerdctl, one of the roots nerdctl uses).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { constants, mkdirSync, mkdtempSync, openSync, closeSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { listContainerEntries } from '../../src/containerd/containers/containers';
import { MethodTable } from '../../src/containerd/proto/codec';
import { exactly, FakeApi } from './fakeApi';

const methods = new MethodTable();
const labelPorts = '[{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp","HostIP":"0.0.0.0"}]';
const filePorts = '{"portMappings":[{"HostPort":9999,"ContainerPort":99,"Protocol":"tcp","HostIP":"0.0.0.0"}]}';
const fromLabel = [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }];
const fromFile = [{ hostIp: '0.0.0.0', hostPort: 9999, containerPort: 99, protocol: 'tcp' }];

/** A daemon whose only container in `default` has the given state-dir label (and port label). */
function daemonWith(t: TestContext, id: string, stateDir: string): FakeApi {
  const container = { id, labels: { 'nerdctl/state-dir': stateDir, 'nerdctl/ports': labelPorts }, image: '', runtime: null, snapshotter: 'overlayfs', snapshot_key: id, created_at: null, updated_at: null, sandbox: '' };
  return new FakeApi(t, { stream: { '/containerd.services.containers.v1.Containers/ListStream': exactly({}, [{ container }], 'default') } }, methods);
}

async function portsOf(t: TestContext, id: string, stateDir: string): Promise<unknown> {
  const [entry] = await listContainerEntries(daemonWith(t, id, stateDir), 'default');
  return entry?.ports;
}

describe('nerdctl state-dir labels that point at hostile files', { timeout: 20_000 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vscc-statedir-'));
  const dataRoot = join(scratch, 'data', 'nerdctl');
  const stateDir = (id: string): string => join(dataRoot, '1935db59', 'containers', 'default', id);
  const withConfig = (dir: string, write: (file: string) => void): string => {
    mkdirSync(dir, { recursive: true });
    write(join(dir, 'network-config.json'));
    return dir;
  };
  const savedDataHome = process.env.XDG_DATA_HOME;
  const fifos: string[] = [];

  before(() => {
    process.env.XDG_DATA_HOME = join(scratch, 'data');
  });
  after(() => {
    if (savedDataHome === undefined) delete process.env.XDG_DATA_HOME;
    else process.env.XDG_DATA_HOME = savedDataHome;
    // A reader still blocked in open() (code that forgot O_NONBLOCK) is released by a writer.
    for (const fifo of fifos) {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch { /* no reader left: nothing to release */ }
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it('still reads a regular network-config.json where nerdctl keeps it', async (t) => {
    const dir = withConfig(stateDir('good-1'), (file) => writeFileSync(file, filePorts));
    assert.deepEqual(await portsOf(t, 'good-1', dir), fromFile);
  });

  it('does not block on a FIFO', { timeout: 5_000 }, async (t) => {
    const dir = withConfig(stateDir('fifo-1'), (file) => {
      execFileSync('mkfifo', [file]);
      fifos.push(file);
    });
    assert.deepEqual(await portsOf(t, 'fifo-1', dir), fromLabel);
  });

  it('does not read from a symlink to /dev/zero', { timeout: 5_000 }, async (t) => {
    const dir = withConfig(stateDir('zero-1'), (file) => symlinkSync('/dev/zero', file));
    const peakKiB = process.resourceUsage().maxRSS;
    assert.deepEqual(await portsOf(t, 'zero-1', dir), fromLabel);
    // Reading until a limit trips costs hundreds of MiB; refusing the link costs nothing.
    assert.ok(process.resourceUsage().maxRSS - peakKiB < 128 * 1024, 'the listing read from /dev/zero');
  });

  it('does not follow a symlink, even to a regular file', async (t) => {
    const target = join(scratch, 'planted.json');
    writeFileSync(target, filePorts);
    const dir = withConfig(stateDir('link-1'), (file) => symlinkSync(target, file));
    assert.deepEqual(await portsOf(t, 'link-1', dir), fromLabel);
  });

  it('does not read a file larger than 1 MiB', async (t) => {
    // Valid JSON (trailing whitespace is allowed), so only the size cap keeps it out.
    const dir = withConfig(stateDir('huge-1'), (file) => writeFileSync(file, filePorts + ' '.repeat(2 * 1024 * 1024)));
    assert.deepEqual(await portsOf(t, 'huge-1', dir), fromLabel);
  });

  it('reads nothing outside nerdctl\'s data roots', async (t) => {
    const dir = withConfig(join(scratch, 'elsewhere', '1935db59', 'containers', 'default', 'out-1'), (file) => writeFileSync(file, filePorts));
    assert.deepEqual(await portsOf(t, 'out-1', dir), fromLabel);
  });

  it('refuses `..` segments that lead out of the data root', async (t) => {
    withConfig(join(scratch, 'data', 'outside', 'containers', 'default', 'dots-1'), (file) => writeFileSync(file, filePorts));
    assert.deepEqual(await portsOf(t, 'dots-1', `${dataRoot}/../outside/containers/default/dots-1`), fromLabel);
  });

  it('refuses a state dir of another container or namespace', async (t) => {
    const dir = withConfig(stateDir('victim-1'), (file) => writeFileSync(file, filePorts));
    assert.deepEqual(await portsOf(t, 'other-1', dir), fromLabel);
    const teamB = withConfig(join(dataRoot, '1935db59', 'containers', 'team-b', 'ns-1'), (file) => writeFileSync(file, filePorts));
    assert.deepEqual(await portsOf(t, 'ns-1', teamB), fromLabel);
  });
});
