// The captured buildctl outputs of test/fixtures/builders (see its README), read for unit tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Captured { argv: string[]; exitCode: number; stdout: string; stderr: string; buildctlVersion: string }

const dir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'builders');

export function captured(name: string): Captured {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Captured;
}
