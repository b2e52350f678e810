// The process table as the oracle of what runs or was left behind: every process's command line.
import { readdirSync, readFileSync } from 'node:fs';

export function processCommandLines(): string[] {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).flatMap((pid) => {
    try {
      return [readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')];
    } catch {
      return [];
    }
  });
}
