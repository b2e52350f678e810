// A `buildkitd` launch configuration, checked and turned into what dlv's DAP server takes. Three
// shapes: attach to a local process (processId), attach to a `dlv --headless` (host/port), launch
// a program under dlv. Bad input is refused with what is wrong and what is expected.
import type { SubstitutePathEntry } from './substitutePath';

export type DebugTarget =
  | { readonly kind: 'local'; readonly processId: number }
  | { readonly kind: 'remote'; readonly host: string; readonly port: number }
  | { readonly kind: 'launch'; readonly program: string; readonly args: readonly string[]; readonly cwd: string | undefined; readonly env: Readonly<Record<string, string>> };

export interface BuildkitdDebugConfig {
  readonly target: DebugTarget;
  readonly substitutePath: readonly SubstitutePathEntry[] | undefined;
  readonly dlvPath: string | undefined;
  readonly dlvFlags: readonly string[];
  readonly asRoot: boolean;
  readonly stopOnEntry: boolean;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

function stringArray(value: unknown, what: string): Checked<string[]> {
  if (value === undefined) return { ok: true, value: [] };
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) return fail(`"${what}" must be a list of strings, like ["--log"].`);
  return { ok: true, value: value as string[] };
}

function processIdOf(value: unknown): Checked<number> {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (text.startsWith('${')) return fail(`"processId" is ${text}, which was not replaced: pick a process with \${command:containerd.buildkitd.pickProcess}.`);
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 4_194_304) return fail(`"processId" must be a process id (a whole number above 0), not ${JSON.stringify(value)}.`);
  return { ok: true, value: Number(text) };
}

function substitutePathOf(value: unknown): Checked<SubstitutePathEntry[] | undefined> {
  if (value === undefined) return { ok: true, value: undefined };
  const valid = Array.isArray(value) && value.every((e: unknown) => typeof e === 'object' && e !== null && typeof (e as Record<string, unknown>).from === 'string' && typeof (e as Record<string, unknown>).to === 'string');
  return valid ? { ok: true, value: value as SubstitutePathEntry[] } : fail('"substitutePath" must be a list of {"from": local folder, "to": path in the binary}.');
}

/** dlvFlags may not take over what the extension decides: where dlv listens or dials. */
const reservedFlags = ['--listen', '--client-addr', '--headless'];

function targetOf(config: Record<string, unknown>): Checked<DebugTarget> {
  if (config.request === 'launch') {
    if (typeof config.program !== 'string' || config.program.trim() === '') return fail('"program" must name the buildkitd or buildctl binary to run under dlv.');
    const args = stringArray(config.args, 'args');
    if (!args.ok) return args;
    const env = config.env ?? {};
    if (typeof env !== 'object' || env === null || Array.isArray(env) || Object.values(env).some((v) => typeof v !== 'string')) return fail('"env" must map names to strings, like {"BUILDKIT_DEBUG": "1"}.');
    if (config.cwd !== undefined && typeof config.cwd !== 'string') return fail('"cwd" must be a folder path.');
    return { ok: true, value: { kind: 'launch', program: config.program, args: args.value, cwd: config.cwd, env: env as Record<string, string> } };
  }
  if (config.request !== 'attach') return fail(`"request" must be "attach" or "launch", not ${JSON.stringify(config.request)}.`);
  if (config.host !== undefined || config.port !== undefined) {
    if (config.processId !== undefined) return fail('Give either "processId" (attach here) or "host" and "port" (a dlv --headless), not both.');
    const port = Number(config.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return fail(`"port" must be the port of a dlv --headless (1-65535), not ${JSON.stringify(config.port)}.`);
    const host = config.host ?? '127.0.0.1';
    if (typeof host !== 'string' || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) return fail(`"host" must be a host name or address, not ${JSON.stringify(config.host)}.`);
    return { ok: true, value: { kind: 'remote', host: host.replace(/^\[(.*)\]$/, '$1'), port } };
  }
  if (config.processId === undefined) return fail('An attach configuration needs "processId" (for example "${command:containerd.buildkitd.pickProcess}"), or "host" and "port" of a dlv --headless.');
  const pid = processIdOf(config.processId);
  return pid.ok ? { ok: true, value: { kind: 'local', processId: pid.value } } : pid;
}

export function checkDebugConfig(config: Record<string, unknown>): Checked<BuildkitdDebugConfig> {
  const target = targetOf(config);
  if (!target.ok) return target;
  const substitutePath = substitutePathOf(config.substitutePath);
  if (!substitutePath.ok) return substitutePath;
  const dlvFlags = stringArray(config.dlvFlags, 'dlvFlags');
  if (!dlvFlags.ok) return dlvFlags;
  const reserved = dlvFlags.value.find((flag) => reservedFlags.some((r) => flag === r || flag.startsWith(`${r}=`)));
  if (reserved) return fail(`"dlvFlags" may not contain ${reserved}: the extension decides where dlv listens.`);
  if (config.dlvPath !== undefined && (typeof config.dlvPath !== 'string' || config.dlvPath.trim() === '')) return fail('"dlvPath" must be the path of a dlv binary.');
  if (config.asRoot !== undefined && typeof config.asRoot !== 'boolean') return fail('"asRoot" must be true or false.');
  if (config.stopOnEntry !== undefined && typeof config.stopOnEntry !== 'boolean') return fail('"stopOnEntry" must be true or false.');
  if (config.asRoot === true && target.value.kind === 'remote') return fail('"asRoot" starts a local dlv with sudo; a remote dlv --headless already runs as whoever started it.');
  return {
    ok: true,
    value: {
      target: target.value,
      substitutePath: substitutePath.value,
      dlvPath: config.dlvPath,
      dlvFlags: dlvFlags.value,
      asRoot: config.asRoot === true,
      stopOnEntry: config.stopOnEntry === true,
    },
  };
}

/** The attach or launch arguments dlv's DAP server reads (it ignores the editor's own fields). */
export function dlvRequestArguments(config: BuildkitdDebugConfig, substitutePath: readonly SubstitutePathEntry[] | undefined): Record<string, unknown> {
  const common = { stopOnEntry: config.stopOnEntry, ...(substitutePath && substitutePath.length > 0 ? { substitutePath } : {}) };
  const { target } = config;
  switch (target.kind) {
    case 'local':
      return { ...common, mode: 'local', processId: target.processId };
    case 'remote':
      return { ...common, mode: 'remote' };
    case 'launch':
      return { ...common, mode: 'exec', program: target.program, args: target.args, ...(target.cwd ? { cwd: target.cwd } : {}), env: target.env, outputMode: 'remote' };
  }
}
