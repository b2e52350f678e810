// Runs one of the tests' Node scripts as another (non-root) user, the way the extension would run
// for that user. The checkout may sit where only root can read it (a CI clone under a private temp
// folder), so the script is bundled into one file in a world-readable temp folder first.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const exec = promisify(execFile);

export interface UserIds {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** A test user (made when missing, without a home). */
export async function testUser(name: string): Promise<UserIds> {
  await exec('id', ['-u', name]).catch(() => exec('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', name]));
  return { name, uid: Number((await exec('id', ['-u', name])).stdout.trim()), gid: Number((await exec('id', ['-g', name])).stdout.trim()) };
}

export interface UserScript {
  readonly child: ChildProcess;
  /** Everything the script printed on stdout so far. */
  stdout(): string;
  /** Resolves with its exit code once it ends, and removes the bundle. */
  readonly done: Promise<number | null>;
}

/** Bundles `entry` (a transpiled .js) and starts it with node as `user`, args passed through. */
export async function startScriptAs(user: UserIds, entry: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<UserScript> {
  const dir = mkdtempSync(join(tmpdir(), 'vscc-as-user-'));
  chmodSync(dir, 0o755);
  const script = join(dir, 'script.js');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: script, logLevel: 'error', external: ['vscode'] });
  chmodSync(script, 0o644);
  const child = spawn(process.execPath, [script, ...args], {
    uid: user.uid,
    gid: user.gid,
    cwd: dir,
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    rmSync(dir, { recursive: true, force: true });
    if (code !== 0 && err) process.stderr.write(`[${user.name} script] ${err}`);
    resolve(code);
  }));
  return { child, stdout: () => out, done };
}

/** Runs the script to its end and parses the JSON it printed last. */
export async function runScriptAs<T>(user: UserIds, entry: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  const started = await startScriptAs(user, entry, args, env);
  const code = await started.done;
  const last = started.stdout().trim().split('\n').at(-1) ?? '';
  if (code !== 0) throw new Error(`the script as ${user.name} exited ${code}: ${started.stdout()}`);
  return JSON.parse(last) as T;
}
