// A checked build definition as the exact argv of each backend: `buildctl build`, `nerdctl build`
// and `docker buildx build`. Paths arrive resolved (absolute Dockerfile and context); where the
// image goes (the namespace, a push) is decided by the caller and passed in as an output.
import { posix } from 'node:path';
import type { BuildDefinition, BuildkitTls, NetworkMode } from './taskDefinition';

export interface ResolvedBuild {
  readonly definition: BuildDefinition;
  /** Absolute path of the Dockerfile. */
  readonly dockerfile: string;
  /** Absolute path of the context folder. */
  readonly context: string;
  readonly buildkitHost: string;
}

/** One field of buildctl's CSV-style --output / --export-cache values: quoted when it holds a comma or quote. */
export function csvField(field: string): string {
  return /[",]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** `type=image` naming every tag (the containerd worker stores it; push sends it too). */
export function imageOutput(tags: readonly string[], push: boolean): string {
  return ['type=image', ...(tags.length > 0 ? [csvField(`name=${tags.join(',')}`)] : []), ...(push ? ['push=true'] : [])].join(',');
}

/** How build checks behave, as the Dockerfile frontend reads it from a build argument. */
function checkArg(definition: BuildDefinition): Record<string, string> {
  if (definition.check === 'error') return { BUILDKIT_DOCKERFILE_CHECK: 'error=true' };
  if (definition.check === 'off') return { BUILDKIT_DOCKERFILE_CHECK: 'skip=all' };
  return {};
}

function buildArgs(definition: BuildDefinition): [string, string][] {
  return Object.entries({ ...definition.buildArgs, ...checkArg(definition) });
}

function tlsFlags(tls: BuildkitTls | undefined): string[] {
  if (!tls) return [];
  return [
    ...(tls.ca ? [`--tlscacert=${tls.ca}`] : []), ...(tls.cert ? [`--tlscert=${tls.cert}`] : []),
    ...(tls.key ? [`--tlskey=${tls.key}`] : []), ...(tls.serverName ? [`--tlsservername=${tls.serverName}`] : []),
  ];
}

function provenanceValue(provenance: boolean | string): string {
  return provenance === true ? 'mode=min' : String(provenance);
}

/** buildctl: the frontend's network option; host needs the entitlement asked for as well. */
function buildctlNetwork(network: NetworkMode): string[] {
  if (network === 'default') return [];
  return [`--opt=force-network-mode=${network}`, ...(network === 'host' ? ['--allow=network.host'] : [])];
}

/**
 * `buildctl build` with the Dockerfile frontend. `output`: where the result goes (an image in the
 * worker's namespace, an OCI archive to import elsewhere, or the user's own output).
 */
export function buildctlArgs(build: ResolvedBuild, output: string | undefined): string[] {
  const d = build.definition;
  return [
    `--addr=${build.buildkitHost}`, ...tlsFlags(d.tls), 'build',
    '--frontend=dockerfile.v0',
    `--local=context=${build.context}`, `--local=dockerfile=${posix.dirname(build.dockerfile)}`,
    `--opt=filename=${posix.basename(build.dockerfile)}`,
    ...(d.target ? [`--opt=target=${d.target}`] : []),
    ...(d.platforms.length > 0 ? [`--opt=platform=${d.platforms.join(',')}`] : []),
    ...buildArgs(d).map(([name, value]) => `--opt=build-arg:${name}=${value}`),
    ...(d.pull ? ['--opt=image-resolve-mode=pull'] : []),
    ...buildctlNetwork(d.network),
    ...(d.noCache ? ['--no-cache'] : []),
    ...d.secrets.map((s) => `--secret=${s}`), ...d.ssh.map((s) => `--ssh=${s}`),
    ...d.cacheFrom.map((c) => `--import-cache=${c}`), ...d.cacheTo.map((c) => `--export-cache=${c}`),
    ...(d.provenance !== false ? [`--opt=attest:provenance=${provenanceValue(d.provenance)}`] : []),
    ...(d.sbom ? ['--opt=attest:sbom='] : []),
    `--progress=${d.progress}`,
    ...(output ? [`--output=${output}`] : []),
  ];
}

/**
 * `nerdctl build` (its global --address/--namespace come from the invocation). It loads the image
 * into the namespace itself; a push is a separate `nerdctl push` unless the output says so.
 */
/** The flags nerdctl build and docker buildx build spell alike. */
function dockerStyleFlags(d: BuildDefinition): string[] {
  return [
    ...d.tags.map((t) => `--tag=${t}`),
    ...(d.target ? [`--target=${d.target}`] : []),
    ...(d.platforms.length > 0 ? [`--platform=${d.platforms.join(',')}`] : []),
    ...buildArgs(d).map(([name, value]) => `--build-arg=${name}=${value}`),
    ...(d.pull ? ['--pull'] : []), ...(d.noCache ? ['--no-cache'] : []),
    // A Docker daemon run with --bridge=none fails every RUN on the default network ("network bridge not found").
    ...(d.network !== 'default' ? [`--network=${d.network}`] : []),
    ...d.secrets.map((s) => `--secret=${s}`), ...d.ssh.map((s) => `--ssh=${s}`),
    ...d.cacheFrom.map((c) => `--cache-from=${c}`), ...d.cacheTo.map((c) => `--cache-to=${c}`),
  ];
}

export function nerdctlBuildArgs(build: ResolvedBuild): string[] {
  const d = build.definition;
  return [
    'build', `--buildkit-host=${build.buildkitHost}`, `--file=${build.dockerfile}`,
    ...dockerStyleFlags(d),
    ...(d.provenance !== false ? [`--provenance=${provenanceValue(d.provenance)}`] : []),
    ...(d.sbom ? ['--sbom=true'] : []),
    ...(d.output ? [`--output=${d.output}`] : []),
    `--progress=${d.progress}`,
    '--', build.context,
  ];
}

/** `docker buildx build` (the docker CLI's --host comes from the invocation); `--load` into Docker's image store unless pushing or given an output. */
export function buildxArgs(build: ResolvedBuild): string[] {
  const d = build.definition;
  const destination = d.output ? [`--output=${d.output}`] : d.push ? ['--push'] : ['--load'];
  return [
    'buildx', 'build', `--file=${build.dockerfile}`,
    ...dockerStyleFlags(d),
    `--provenance=${provenanceValue(d.provenance)}`,
    ...(d.sbom ? ['--sbom=true'] : []),
    ...destination,
    `--progress=${d.progress}`,
    '--', build.context,
  ];
}

/** What the buildkitd's workers are, as JSON: where the containerd worker keeps its images. */
export function buildctlWorkersArgs(buildkitHost: string, tls: BuildkitTls | undefined): string[] {
  return [`--addr=${buildkitHost}`, ...tlsFlags(tls), 'debug', 'workers', '--format', '{{json .}}'];
}

/**
 * A request to the Dockerfile frontend that builds nothing: `frontend.lint` prints its findings on
 * stdout (and nothing for a Dockerfile it cannot parse); `frontend.outline` fails on a parse error,
 * with the line, which is how a check learns of one.
 */
export function buildctlSubrequestArgs(buildkitHost: string, tls: BuildkitTls | undefined, dockerfile: string, request: 'frontend.lint' | 'frontend.outline'): string[] {
  const dir = posix.dirname(dockerfile);
  return [
    `--addr=${buildkitHost}`, ...tlsFlags(tls), 'build', '--frontend=dockerfile.v0',
    `--local=context=${dir}`, `--local=dockerfile=${dir}`, `--opt=filename=${posix.basename(dockerfile)}`,
    `--opt=requestid=${request}`, '--progress=plain',
  ];
}

/** The Dockerfile frontend's lint request: its findings on stdout, nothing built. */
export function buildctlLintArgs(buildkitHost: string, tls: BuildkitTls | undefined, dockerfile: string): string[] {
  return buildctlSubrequestArgs(buildkitHost, tls, dockerfile, 'frontend.lint');
}

/**
 * Docker's check request: the build checks as JSON on stdout, nothing built. The Dockerfile's
 * folder is the context (the checks read only the Dockerfile and .dockerignore).
 */
export function buildxCheckArgs(dockerfile: string): string[] {
  return ['buildx', 'build', '--call=check,format=json', '--progress=plain', `--file=${dockerfile}`, '--', posix.dirname(dockerfile)];
}
