// What a debugger preflight check reports: the words a user reads before dlv starts.
import type { Finding as AnyFinding } from '../model/finding';

export { findingText, type FindingLevel } from '../model/finding';

export type DebugCheck = 'dlv' | 'binary' | 'dwarf' | 'optimized' | 'trimpath' | 'symlink' | 'ptrace' | 'go-version' | 'process' | 'trust';
export type Finding = AnyFinding<DebugCheck>;
