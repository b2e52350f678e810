// Before a multi-platform build on this machine: can the kernel run the other platforms' programs?
// A RUN step for linux/arm64 on an amd64 host needs QEMU registered with binfmt_misc. The handler
// files are read from a folder given by the caller (/proc/sys/fs/binfmt_misc on a real host, a
// folder of the tests' own in tests), so checking never changes what the machine runs.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The platform a Node.js process.arch runs natively. */
export function nativePlatform(arch: string): string | undefined {
  const byArch: Readonly<Record<string, string>> = { x64: 'linux/amd64', arm64: 'linux/arm64', arm: 'linux/arm/v7', ppc64: 'linux/ppc64le', s390x: 'linux/s390x', riscv64: 'linux/riscv64', ia32: 'linux/386' };
  return byArch[arch];
}

/** What a host runs without emulation besides its own platform (32-bit variants of its family). */
function alsoNative(native: string): readonly string[] {
  if (native === 'linux/amd64') return ['linux/386'];
  if (native === 'linux/arm64') return ['linux/arm/v7', 'linux/arm/v6'];
  return [];
}

/** The QEMU binfmt handler Debian's qemu-user-static registers for a platform. */
export function qemuHandler(platform: string): string | undefined {
  const [os, arch] = platform.split('/');
  if (os !== 'linux') return undefined;
  const byArch: Readonly<Record<string, string>> = { amd64: 'qemu-x86_64', arm64: 'qemu-aarch64', arm: 'qemu-arm', ppc64le: 'qemu-ppc64le', s390x: 'qemu-s390x', riscv64: 'qemu-riscv64', '386': 'qemu-i386', mips64le: 'qemu-mips64el' };
  // Every arm variant (v6, v7, none) runs on qemu-arm.
  return byArch[arch ?? ''];
}

/** Whether a host of platform `native` runs `platform`'s programs without emulation. */
export function runsNatively(platform: string, native: string | undefined): boolean {
  return platform === native || (native !== undefined && alsoNative(native).includes(platform));
}

export interface BinfmtState {
  /** binfmt_misc is mounted (its `status` file exists). */
  readonly mounted: boolean;
  /** Each registered handler's file, by name (`qemu-aarch64` -> "enabled\ninterpreter ..."). */
  readonly handlers: Readonly<Record<string, string>>;
}

/** Reads a binfmt_misc folder; a missing folder reads as not mounted. */
export async function readBinfmt(dir: string): Promise<BinfmtState> {
  const names = await readdir(dir).catch(() => undefined);
  if (!names?.includes('status')) return { mounted: false, handlers: {} };
  const handlers: Record<string, string> = {};
  for (const name of names.filter((n) => n !== 'status' && n !== 'register')) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    if (text !== undefined) handlers[name] = text;
  }
  return { mounted: true, handlers };
}

/**
 * For each platform this host cannot run itself, why its RUN steps would fail and the fix;
 * empty when every platform can run.
 */
export function binfmtProblems(platforms: readonly string[], native: string | undefined, state: BinfmtState): string[] {
  const foreign = platforms.filter((p) => !runsNatively(p, native));
  if (foreign.length === 0) return [];
  if (!state.mounted) {
    return [`binfmt_misc is not mounted, so RUN steps for ${foreign.join(', ')} cannot run here: sudo mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc, then register QEMU (sudo update-binfmts --enable, from Debian's qemu-user-static and binfmt-support).`];
  }
  return foreign.flatMap((platform) => {
    const handler = qemuHandler(platform);
    if (handler === undefined) return [`${platform}: no QEMU emulator is known for it; its RUN steps need a builder of that platform.`];
    const text = state.handlers[handler];
    if (/^enabled$/m.test(text ?? '')) return [];
    const why = text === undefined ? 'not registered' : 'registered but disabled';
    return [`${platform}: QEMU (${handler}) is ${why} with binfmt_misc, so its RUN steps cannot run here: sudo update-binfmts --enable ${handler} (Debian: apt install qemu-user-static binfmt-support), or docker run --privileged --rm tonistiigi/binfmt --install ${platform.split('/')[1] ?? ''}.`];
  });
}
