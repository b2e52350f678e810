// Runs readEndpointStatus in a child process as user `nobody`, to see what a non-root user sees.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface ProbeResult { reachable: boolean; reason?: string; message: string }

export async function probeAsNobody(address: string): Promise<ProbeResult> {
  const script = join(__dirname, 'probeChild.js');
  const { stdout } = await promisify(execFile)(process.execPath, [script, address], { uid: 65534, gid: 65534, timeout: 30_000 });
  return JSON.parse(stdout) as ProbeResult;
}
