// nerdctl's own configuration (nerdctl.toml): which containerd address, namespace and snapshotter
// the user's nerdctl talks to, so the explorer shows the same daemon. The file is flat TOML
// (top-level `key = value` lines); only the string keys we use are read.
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface NerdctlConfig {
  readonly address?: string;
  readonly namespace?: string;
  readonly snapshotter?: string;
  /** Where nerdctl keeps its state (`data_root`), when not the default. */
  readonly dataRoot?: string;
  /** Where nerdctl looks for registry certificates (`hosts_dir`), when not the default. */
  readonly hostsDirs?: readonly string[];
  /** Where nerdctl looks for CNI plugins (`cni_path`) and network configurations (`cni_netconfpath`), when set. */
  readonly cniPath?: string;
  readonly cniNetconfPath?: string;
}

/** Where nerdctl looks: $NERDCTL_TOML, else the rootless or rootful default. */
export function nerdctlTomlPath(env: Readonly<Record<string, string | undefined>>, isRoot: boolean): string {
  if (env.NERDCTL_TOML) return env.NERDCTL_TOML;
  if (isRoot) return '/etc/nerdctl/nerdctl.toml';
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'nerdctl', 'nerdctl.toml');
}

function unquote(raw: string): string | undefined {
  const value = raw.trim();
  const basic = /^"((?:[^"\\]|\\.)*)"$/.exec(value);
  if (basic?.[1] !== undefined) return basic[1].replace(/\\(["\\])/g, '$1');
  const literal = /^'([^']*)'$/.exec(value);
  return literal?.[1];
}

/**
 * The line without its comment: from the first `#` outside a quoted string. One pass over the
 * line (a regex like /\s+#.*$/ backtracks quadratically on a long run of spaces).
 */
export function stripComment(line: string): string {
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quote === undefined) {
      if (c === '#') return line.slice(0, i);
      if (c === '"' || c === "'") quote = c;
    } else if (c === '\\' && quote === '"') {
      i += 1; // an escaped character in a basic string, \" included
    } else if (c === quote) {
      quote = undefined;
    }
  }
  return line;
}

/** A one-line array of strings (`["a", 'b']`); undefined for anything else. */
function stringArray(raw: string): string[] | undefined {
  const inner = /^\[(.*)\]$/.exec(raw.trim())?.[1];
  if (inner === undefined) return undefined;
  const items = inner.split(',').map((item) => item.trim()).filter((item) => item.length > 0).map(unquote);
  return items.every((item): item is string => item !== undefined) ? items : undefined;
}

/** Reads the top-level string keys and hosts_dir; tables ([...]) and anything else are skipped. */
export function parseNerdctlToml(text: string): NerdctlConfig {
  const found: Record<string, string> = {};
  let hostsDirs: string[] | undefined;
  for (const rawLine of text.split('\n')) {
    const line = stripComment(rawLine).trim();
    if (line.startsWith('[')) break; // keys after a table header belong to it
    const match = /^([A-Za-z0-9_-]+)\s*=\s*(.+)$/.exec(line);
    if (!match?.[1] || match[2] === undefined) continue;
    if (match[1] === 'hosts_dir') hostsDirs = stringArray(match[2]);
    const value = unquote(match[2]);
    if (value !== undefined) found[match[1]] = value;
  }
  return {
    ...(found.address ? { address: found.address } : {}),
    ...(found.namespace ? { namespace: found.namespace } : {}),
    ...(found.snapshotter ? { snapshotter: found.snapshotter } : {}),
    ...(found.data_root ? { dataRoot: found.data_root } : {}),
    ...(hostsDirs && hostsDirs.length > 0 ? { hostsDirs } : {}),
    ...(found.cni_path ? { cniPath: found.cni_path } : {}),
    ...(found.cni_netconfpath ? { cniNetconfPath: found.cni_netconfpath } : {}),
  };
}
