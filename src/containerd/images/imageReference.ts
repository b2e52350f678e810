// Splits an image name into repository, tag and digest, and decides whether it is dangling, the
// way nerdctl does: nerdctl's referenceutil.Parse (distribution/reference's ParseNormalizedNamed,
// which adds `:latest` to a bare name) feeds imgutil.ParseRepoTag, and an image is dangling when
// that yields no tag (pkg/imgutil/filtering.go isDangling): a digest-only name (`x@sha256:...`,
// `ctr import --digests`' `import-DATE@sha256:...`), a bare digest (CRI's config-digest names) or
// a name that is no valid reference at all (`<none>@sha256:...`).

export interface ImageReference {
  /** The name as containerd stores it. */
  readonly name: string;
  /** nerdctl's REPOSITORY: `busybox`, `user/app`, `registry:5000/a/b`; undefined when unparsable. */
  readonly repository?: string;
  /** The normalized repository: `docker.io/library/busybox`, `registry:5000/a/b`. */
  readonly fullRepository?: string;
  /** The tag, `latest` for a bare name; undefined for digest-only names. */
  readonly tag?: string;
  readonly digest?: string;
  /** No tag: nerdctl's `dangling=true`, shown as `<none>` / `<untagged>`. */
  readonly dangling: boolean;
}

const defaultDomain = 'docker.io';
const legacyDefaultDomain = 'index.docker.io';
const officialPrefix = 'library/';
const nameTotalLengthMax = 255;

// The grammar of distribution/reference (regexp.go), anchored.
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
/** A registry host with an optional port, as distribution/reference reads it. */
export const domainAndPort = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const namePattern = `(?:${domainAndPort}/)?${pathComponent}(?:/${pathComponent})*`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const referenceRegExp = new RegExp(`^(${namePattern})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`);
const hexIdRegExp = /^[a-f0-9]{64}$/;
/** go-digest accepts only registered algorithms, with their exact lowercase hex lengths. */
const digestHexLength: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

export function isValidDigest(value: string): boolean {
  const colon = value.indexOf(':');
  const hex = value.slice(colon + 1);
  return hex.length === digestHexLength[value.slice(0, colon)] && /^[a-f0-9]+$/.test(hex);
}

/** distribution/reference's splitDockerDomain: docker.io and library/ are implied. */
function splitDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const isDomain = /[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first;
  let domain = isDomain ? first : defaultDomain;
  let remainder = isDomain ? name.slice(slash + 1) : name;
  if (domain === legacyDefaultDomain) domain = defaultDomain;
  if (domain === defaultDomain && !remainder.includes('/')) remainder = officialPrefix + remainder;
  return { domain, remainder };
}

/** reference.FamiliarName: docker.io and library/ dropped again. */
function familiarName(domain: string, path: string): string {
  if (domain !== defaultDomain) return `${domain}/${path}`;
  const official = path.startsWith(officialPrefix) ? path.slice(officialPrefix.length) : path;
  return official.includes('/') ? path : official;
}

function unparsable(name: string, digest?: string): ImageReference {
  return { name, dangling: true, ...(digest ? { digest } : {}) };
}

export function parseImageReference(name: string): ImageReference {
  // A bare digest or image id (CRI names images by their config digest): no repository at all.
  if (isValidDigest(name)) return unparsable(name, name);
  if (hexIdRegExp.test(name)) return unparsable(name, `sha256:${name}`);
  const { domain, remainder } = splitDomain(name);
  // The grammar's path components are lowercase: no separate check of the repository's case.
  const match = referenceRegExp.exec(`${domain}/${remainder}`);
  if (!match) return unparsable(name);
  // The name group is not optional: it matched.
  const [, fullRepository, explicitTag, digest] = match as unknown as [string, string, string | undefined, string | undefined];
  if (fullRepository.length > nameTotalLengthMax || (digest !== undefined && !isValidDigest(digest))) return unparsable(name);
  const path = fullRepository.slice(domain.length + 1);
  // reference.TagNameOnly: a name with neither tag nor digest means :latest.
  const tag = explicitTag ?? (digest === undefined ? 'latest' : undefined);
  return {
    name,
    repository: familiarName(domain, path),
    fullRepository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    dangling: tag === undefined,
  };
}
