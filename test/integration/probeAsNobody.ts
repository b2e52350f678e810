// Runs readEndpointStatus in a child process as user `nobody`, to see what a non-root user sees.
// The checkout may sit in a folder only root can read (a CI clone under a private temp dir), so
// the child is bundled into one file in a world-readable temp folder first.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

export interface ProbeResult { reachable: boolean; reason?: string; message: string }

export async function probeAsNobody(address: string): Promise<ProbeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vscc-probe-'));
  try {
    chmodSync(dir, 0o755);
    const script = join(dir, 'probe.js');
    await build({ entryPoints: [join(__dirname, 'probeChild.js')], bundle: true, platform: 'node', format: 'cjs', outfile: script, logLevel: 'error' });
    chmodSync(script, 0o644);
    const { stdout } = await promisify(execFile)(process.execPath, [script, address], { uid: 65534, gid: 65534, timeout: 30_000, cwd: dir });
    return JSON.parse(stdout) as ProbeResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
