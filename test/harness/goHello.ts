// The debugger tests' own small Go program (test/fixtures/debug/hello), built at test time with a
// chosen Go and flags: Debian's Go 1.19 pairs with Debian's dlv 1.20, the older Delve the tests cover.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir, MissingComponentError } from './components';

const run = promisify(execFile);

/** Debian's golang-go and delve (set-up installs them): Go 1.19 and dlv 1.20. */
export const debianGo = '/usr/bin/go';
export const debianDlv = '/usr/bin/dlv';

export function requireDebianGoPair(): void {
  for (const [path, what] of [[debianGo, 'Debian\'s golang-go (Go 1.19)'], [debianDlv, 'Debian\'s delve (dlv 1.20)']] as const) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw new MissingComponentError(`${what} is missing at ${path}: run \`npm run setup\` (it installs golang-go and delve).`);
    }
  }
}

/** The source folder, copied so the build writes nothing into the checkout. */
export function helloSource(): string {
  return join(__dirname, '..', '..', '..', 'test', 'fixtures', 'debug', 'hello');
}

/**
 * Builds the program into a fresh world-readable folder (a copy of the source outside the
 * checkout: go build stamps no git state and writes nothing into the repository); returns the
 * binary's path. The compiled standard library is kept between runs in the project cache.
 */
export async function buildHello(go: string, flags: readonly string[] = [], goarch = 'amd64'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'vscc-hello-'));
  const source = join(dir, 'src');
  cpSync(helloSource(), source, { recursive: true });
  const binary = join(dir, 'hello');
  const goCache = join(cacheDir(), 'go1.19-test-cache');
  mkdirSync(goCache, { recursive: true });
  await run(go, ['build', '-o', binary, ...flags, '.'], {
    cwd: source,
    env: { PATH: process.env.PATH, HOME: dir, GOENV: 'off', GOCACHE: join(goCache, 'build'), GOPATH: join(goCache, 'gopath'), GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOOS: 'linux', GOARCH: goarch },
    timeout: 300_000,
  });
  await run('chmod', ['-R', 'a+rX', dir]);
  return binary;
}

/** Starts the program (optionally as another user); stop it with kill. */
export function startHello(binary: string, ids?: { uid: number; gid: number }): ChildProcess {
  return spawn(binary, [], { stdio: 'ignore', ...(ids ?? {}) });
}
