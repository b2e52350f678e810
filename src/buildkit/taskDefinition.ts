// The `buildkit` task definition as tasks.json holds it, checked attribute by attribute before
// anything runs: every problem names its attribute, what is wrong and what is expected. The
// result has every default filled in, so the backends' argv builders never guess.
import { imageTag, namespaceName, platform, type Check } from '../nerdctl/validate';

export type Backend = 'nerdctl' | 'buildctl' | 'buildx' | 'auto';
export type Progress = 'plain' | 'rawjson';
/** RUN steps' network: the builder's own, none at all, or the host's (BuildKit's network.host entitlement). */
export type NetworkMode = 'default' | 'none' | 'host';
/** Build checks: reported as warnings, failing the build, or skipped. */
export type CheckMode = 'warn' | 'error' | 'off';

/** Client certificates for a tcp:// buildkitd, as the private-CA set-ups need. */
export interface BuildkitTls {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly serverName?: string;
}

export interface BuildDefinition {
  /** The Dockerfile, relative to the task's folder or absolute. */
  readonly file: string;
  /** The build context; undefined: the Dockerfile's folder. */
  readonly context: string | undefined;
  readonly tags: readonly string[];
  /** Empty: the builder's own platform. */
  readonly platforms: readonly string[];
  readonly target: string | undefined;
  readonly buildArgs: Readonly<Record<string, string>>;
  /** `id=name,src=path` or `id=name,env=VAR`, as buildctl and nerdctl take them. */
  readonly secrets: readonly string[];
  /** `default` or `id=socket-or-key`. */
  readonly ssh: readonly string[];
  /** An output as buildctl writes it (`type=local,dest=out`); undefined: an image in the namespace. */
  readonly output: string | undefined;
  readonly push: boolean;
  readonly noCache: boolean;
  readonly pull: boolean;
  readonly cacheFrom: readonly string[];
  readonly cacheTo: readonly string[];
  /** false: none; true: BuildKit's default (mode=min); a string: its parameters (`mode=max`). */
  readonly provenance: boolean | string;
  readonly sbom: boolean;
  readonly progress: Progress;
  readonly backend: Backend;
  /** undefined: discovered in nerdctl's order. */
  readonly buildkitHost: string | undefined;
  readonly tls: BuildkitTls | undefined;
  /** The containerd endpoint the image lands in; undefined: the explorer's. */
  readonly address: string | undefined;
  readonly namespace: string | undefined;
  readonly check: CheckMode;
  readonly network: NetworkMode;
}

export type DefinitionResult = { readonly ok: true; readonly definition: BuildDefinition } | { readonly ok: false; readonly problems: readonly string[] };

const backends: readonly Backend[] = ['auto', 'nerdctl', 'buildctl', 'buildx'];
const progresses: readonly Progress[] = ['plain', 'rawjson'];
const checkModes: readonly CheckMode[] = ['warn', 'error', 'off'];
const networkModes: readonly NetworkMode[] = ['default', 'none', 'host'];
/** What buildctl, nerdctl and buildx accept as a BuildKit address. */
const hostSchemes = ['unix://', 'tcp://', 'fd://', 'docker-container://', 'kube-pod://', 'podman-container://', 'nerdctl-container://', 'ssh://'];

/** Collects problems while reading attributes; each reader returns a usable value regardless. */
class Reader {
  readonly problems: string[] = [];

  constructor(private readonly raw: Readonly<Record<string, unknown>>) {}

  private fail(key: string, message: string): undefined {
    this.problems.push(`${key}: ${message}`);
    return undefined;
  }

  /** A string without control characters or a leading "-" (it becomes an argument). */
  text(key: string, value: unknown = this.raw[key], check?: Check): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return this.fail(key, `expected a string, not ${JSON.stringify(value)}`);
    if (value.length === 0) return this.fail(key, 'is empty');
    // eslint-disable-next-line no-control-regex -- finding them is the point
    if (/[\u0000-\u001f\u007f]/.test(value)) return this.fail(key, `${JSON.stringify(value)} holds a control character`);
    if (value.startsWith('-')) return this.fail(key, `"${value}" starts with "-", which the build tools would read as an option`);
    const problem = check?.(value);
    return problem ? this.fail(key, problem) : value;
  }

  list(key: string, check?: Check): string[] {
    const value = this.raw[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) return this.fail(key, `expected a list of strings, not ${JSON.stringify(value)}`) ?? [];
    return value.flatMap((item, i) => this.text(`${key}[${i}]`, item, check) ?? []);
  }

  flag(key: string): boolean {
    const value = this.raw[key];
    if (value === undefined) return false;
    if (typeof value !== 'boolean') return this.fail(key, `expected true or false, not ${JSON.stringify(value)}`) ?? false;
    return value;
  }

  choice<T extends string>(key: string, choices: readonly T[]): T {
    const value = this.raw[key];
    const first = choices[0];
    if (value === undefined) return first;
    if ((choices as readonly unknown[]).includes(value)) return value as T;
    return this.fail(key, `expected one of ${choices.join(', ')}, not ${JSON.stringify(value)}`) ?? first;
  }

  record(key: string): Record<string, string> {
    const value = this.raw[key];
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.fail(key, `expected an object of names to strings, not ${JSON.stringify(value)}`) ?? {};
    const entries = Object.entries(value).flatMap(([name, v]): [string, string][] => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return this.fail(`${key}.${name}`, 'a build argument name is letters, digits and "_", not starting with a digit') ?? [];
      if (typeof v !== 'string') return this.fail(`${key}.${name}`, `expected a string, not ${JSON.stringify(v)}`) ?? [];
      // eslint-disable-next-line no-control-regex -- a newline would split the argument's meaning
      if (/[\u0000-\u001f\u007f]/.test(v)) return this.fail(`${key}.${name}`, 'holds a control character') ?? [];
      return [[name, v]];
    });
    return Object.fromEntries(entries);
  }
}

const secretSpec: Check = (value) => (/^(?:id=[^,=]+)(?:,(?:src|source|env|type)=[^,]+)*$/.test(value) ? undefined
  : `"${value}" is not a secret: expected id=NAME,src=PATH or id=NAME,env=VARIABLE`);

const sshSpec: Check = (value) => (/^(?:default|[A-Za-z0-9_.-]+)(?:=[^,]+(?:,[^,]+)*)?$/.test(value) ? undefined
  : `"${value}" is not an ssh spec: expected default or ID=SOCKET_OR_KEY`);

/** `type=...` first, then comma-separated key=value pairs (buildctl's --output, --export-cache). */
const isKeyValueSpec = (value: string): boolean => /^type=[a-z0-9-]+(?:,[a-z0-9-]+(?:=[^,]*)?)*$/.test(value);

const outputSpec: Check = (value) => (isKeyValueSpec(value) ? undefined
  : `"${value}" is not an output: expected type=TYPE[,key=value...], e.g. type=local,dest=out`);

const cacheSpec: Check = (value) => (isKeyValueSpec(value) || imageTag(value) === undefined ? undefined
  : `"${value}" is not a cache spec: expected type=registry,ref=IMAGE, type=local,src=DIR (or dest=DIR), or an image name`);

const buildkitHost: Check = (value) => (hostSchemes.some((s) => value.startsWith(s) && value.length > s.length) ? undefined
  : `"${value}" is not a BuildKit address: expected ${hostSchemes.map((s) => `${s}...`).join(', ')}`);

const targetName: Check = (value) => (/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(value) ? undefined : `"${value}" is not a build stage name: letters, digits, "_", "." and "-"`);

const provenanceParams: Check = (value) => (/^[a-z-]+=[^,]+(?:,[a-z-]+=[^,]+)*$/.test(value) ? undefined : `"${value}" is not provenance parameters: expected key=value[,key=value], e.g. mode=max`);

function readTls(reader: Reader, raw: unknown): BuildkitTls | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    reader.problems.push(`tls: expected an object with ca, cert, key and serverName, not ${JSON.stringify(raw)}`);
    return undefined;
  }
  const fields = raw as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((k) => !['ca', 'cert', 'key', 'serverName'].includes(k));
  if (unknown.length > 0) reader.problems.push(`tls: unknown attribute ${unknown.join(', ')} (expected ca, cert, key, serverName)`);
  const ca = reader.text('tls.ca', fields.ca);
  const cert = reader.text('tls.cert', fields.cert);
  const key = reader.text('tls.key', fields.key);
  const serverName = reader.text('tls.serverName', fields.serverName);
  if ((cert === undefined) !== (key === undefined)) reader.problems.push('tls: cert and key go together: give both or neither');
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), ...(serverName ? { serverName } : {}) };
}

/** The attributes tasks.json may hold beside ours (VS Code's own). */
const taskKeys = new Set(['type', 'label', 'group', 'detail', 'problemMatcher', 'presentation', 'runOptions', 'dependsOn', 'dependsOrder', 'isBackground', 'options', 'icon', 'hide']);
/** Our attributes, in the order package.json's taskDefinitions schema lists them. */
export const buildTaskAttributes: readonly string[] = ['file', 'context', 'tags', 'platforms', 'target', 'buildArgs', 'secrets', 'ssh', 'output', 'push', 'noCache', 'pull',
  'cacheFrom', 'cacheTo', 'provenance', 'sbom', 'progress', 'backend', 'buildkitHost', 'tls', 'address', 'namespace', 'check', 'network'];

export function readDefinition(raw: unknown): DefinitionResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, problems: ['the task definition is not an object'] };
  const fields = raw as Record<string, unknown>;
  const reader = new Reader(fields);
  const unknown = Object.keys(fields).filter((k) => !buildTaskAttributes.includes(k) && !taskKeys.has(k));
  for (const key of unknown) reader.problems.push(`${key}: not an attribute of a buildkit task`);
  const file = reader.text('file');
  if (fields.file === undefined) reader.problems.push('file: missing: the Dockerfile to build, e.g. "Dockerfile"');
  const tags = reader.list('tags', imageTag);
  const push = reader.flag('push');
  const output = reader.text('output', undefined, outputSpec);
  if (push && tags.length === 0 && output === undefined) reader.problems.push('push: needs at least one tag to push to');
  if (push && output !== undefined) reader.problems.push('push: give either push with tags or an output, not both');
  const provenanceRaw = fields.provenance;
  const provenance = typeof provenanceRaw === 'boolean' ? provenanceRaw : reader.text('provenance', undefined, provenanceParams) ?? false;
  const definition: BuildDefinition = {
    file: file ?? '',
    context: reader.text('context'),
    tags,
    platforms: [...new Set(reader.list('platforms', platform))],
    target: reader.text('target', undefined, targetName),
    buildArgs: reader.record('buildArgs'),
    secrets: reader.list('secrets', secretSpec),
    ssh: reader.list('ssh', sshSpec),
    output,
    push,
    noCache: reader.flag('noCache'),
    pull: reader.flag('pull'),
    cacheFrom: reader.list('cacheFrom', cacheSpec),
    cacheTo: reader.list('cacheTo', cacheSpec),
    provenance,
    sbom: reader.flag('sbom'),
    progress: reader.choice('progress', progresses),
    backend: reader.choice('backend', backends),
    buildkitHost: reader.text('buildkitHost', undefined, buildkitHost),
    tls: readTls(reader, fields.tls),
    address: reader.text('address'),
    namespace: reader.text('namespace', undefined, namespaceName),
    check: reader.choice('check', checkModes),
    network: reader.choice('network', networkModes),
  };
  return reader.problems.length > 0 ? { ok: false, problems: reader.problems } : { ok: true, definition };
}
