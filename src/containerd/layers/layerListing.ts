// A layer's tar entries read the way containerd applies them (the OCI image spec's rules):
// `.wh.<name>` deletes <name> from the layers below, `.wh..wh..opq` hides everything the layers
// below put in its folder, and other `.wh..wh.` names are AUFS bookkeeping with no meaning here.
// Whiteouts speak of the layers below only: a file the same layer writes next to them stays.
import { splitPath, type LayerEntry } from './layerEntry';

export interface LayerListing {
  /** What the layer writes, once per path (the last entry of a path wins, as on extraction), in archive order. */
  readonly entries: readonly LayerEntry[];
  /** Paths the layer deletes from the layers below. */
  readonly deletions: readonly string[];
  /** Folders whose lower contents the layer hides. */
  readonly opaqueDirs: readonly string[];
}

const whiteoutPrefix = '.wh.';
const opaqueMarker = '.wh..wh..opq';
const metadataPrefix = '.wh..wh.';

function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

export function interpretLayer(raw: readonly LayerEntry[]): LayerListing {
  const written = new Map<string, LayerEntry>();
  const deletions = new Set<string>();
  const opaqueDirs = new Set<string>();
  for (const entry of raw) {
    const { dir, name } = splitPath(entry.path);
    if (!name.startsWith(whiteoutPrefix)) {
      // Re-inserted so the map keeps the order of the entry that wins.
      written.delete(entry.path);
      written.set(entry.path, entry);
    } else if (name === opaqueMarker) {
      opaqueDirs.add(dir);
    } else if (!name.startsWith(metadataPrefix) && name.length > whiteoutPrefix.length) {
      deletions.add(joinPath(dir, name.slice(whiteoutPrefix.length)));
    }
  }
  return { entries: [...written.values()], deletions: [...deletions], opaqueDirs: [...opaqueDirs] };
}
