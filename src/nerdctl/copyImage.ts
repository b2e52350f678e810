// Copying an image to another namespace or endpoint without a registry: `nerdctl save` of every
// platform, then `nerdctl load --all-platforms` of that archive at the destination (the same index
// digest, unpacked there for nerdctl's snapshotter, imported under nerdctl's own lease).
// This module decides what may be copied and explains failures; copyRun.ts runs it.
import { sudoPasswordAdvice } from './invocation';
import { namespaceName } from './validate';

export interface ImageAt {
  readonly address: string;
  readonly namespace: string;
  readonly name: string;
  /** The image's target (index or manifest) digest. */
  readonly digest: string;
}

export interface Place {
  readonly address: string;
  readonly namespace: string;
}

/** Kubernetes' namespace: the CRI plugin lists only images labelled as its own. */
export const criNamespace = 'k8s.io';
export const criManagedLabel = { key: 'io.cri-containerd.image', value: 'managed' } as const;

/** What to do given what the destination already holds under the image's name. */
export type CopyDecision =
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'copy' }
  /** The same name holds another image there: copying replaces it, so ask first. */
  | { readonly kind: 'replace'; readonly existingDigest: string }
  /** Already there with the same digest: nothing to stream (the CRI label may still be missing). */
  | { readonly kind: 'present' };

export function copyDecision(source: ImageAt, destination: Place, existingDigest: string | undefined): CopyDecision {
  if (source.address === destination.address && source.namespace === destination.namespace) {
    return { kind: 'refused', reason: `${source.name} is already in namespace "${source.namespace}" of ${source.address}: pick another namespace or endpoint` };
  }
  const badNamespace = namespaceName(destination.namespace);
  if (badNamespace) return { kind: 'refused', reason: badNamespace };
  if (existingDigest === undefined) return { kind: 'copy' };
  return existingDigest === source.digest ? { kind: 'present' } : { kind: 'replace', existingDigest };
}

/** Whether the copy must carry the CRI label for Kubernetes to see the image. */
export function needsCriLabel(destination: Place, labels: Readonly<Record<string, string>>): boolean {
  return destination.namespace === criNamespace && labels[criManagedLabel.key] !== criManagedLabel.value;
}

/** Known causes in a failed save's or load's stderr, each with what to do. */
const advice: readonly { readonly pattern: RegExp; readonly text: (name: string) => string }[] = [
  {
    pattern: /content digest \S+: not found|failed to get reader|blob not found/i,
    text: (name) => `the source does not hold every platform's content (an image pulled for one platform only). Pull all of them first: nerdctl pull --all-platforms ${name}`,
  },
  {
    pattern: /unknown method|not implemented/i,
    text: () => 'this containerd is too old for nerdctl (it lacks a service nerdctl calls); use containerd 1.6 or later.',
  },
  {
    pattern: /permission denied/i,
    text: () => 'the containerd socket (or its data) is not open to this user: see the Namespaces view for the endpoint\'s access.',
  },
  {
    pattern: /no space left on device/i,
    text: () => 'the destination\'s disk is full.',
  },
];

export function copyFailureAdvice(name: string, stderr: string, sudo: { program: string; user: string }): string | undefined {
  return sudoPasswordAdvice(stderr, sudo.program, sudo.user) ?? advice.find((a) => a.pattern.test(stderr))?.text(name);
}

export interface DestinationChoice extends Place {
  /** The namespace does not exist yet: the copy creates it (offered for k8s.io only). */
  readonly created: boolean;
}

/**
 * Where an image can be copied: every namespace of every reachable endpoint but its own, the
 * source's endpoint first, and k8s.io on each endpoint that lacks it (where Kubernetes looks).
 */
export function copyDestinations(source: Place, endpoints: readonly { readonly address: string; readonly namespaces: readonly string[] }[]): DestinationChoice[] {
  const ordered = [...endpoints].sort((a, b) => Number(b.address === source.address) - Number(a.address === source.address));
  return ordered.flatMap(({ address, namespaces }) => [
    ...namespaces.filter((n) => address !== source.address || n !== source.namespace).map((namespace) => ({ address, namespace, created: false })),
    ...(namespaces.includes(criNamespace) ? [] : [{ address, namespace: criNamespace, created: true }]),
  ]);
}
