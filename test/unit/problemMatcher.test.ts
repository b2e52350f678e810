// The `$buildkit` and `$buildkit-failure` problem matchers package.json contributes, applied the
// way VS Code applies a problem matcher (each pattern of a multi-line one on the next line, the
// last one looping) to the plain output captured from the real tools.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

interface Pattern { regexp: string; file?: number; line?: number; message?: number; code?: number; loop?: boolean }
interface Matcher { name: string; severity: string; pattern: Pattern | Pattern[] }
interface Problem { file: string; line: number; message: string; code?: string; severity: string }

// out/test/unit -> the repository
const repo = join(__dirname, '..', '..', '..');
const matchers = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { contributes: { problemMatchers: Matcher[] } }).contributes.problemMatchers;

function matcher(name: string): Matcher {
  const found = matchers.find((m) => m.name === name);
  if (!found) assert.fail(`package.json contributes no problem matcher "${name}"`);
  return found;
}

/**
 * VS Code's reading: the patterns match consecutive lines, the last one again on each next line
 * when it loops; the captures make a problem when they hold a file, a line and a message.
 */
function problems(m: Matcher, text: string): Problem[] {
  const patterns = Array.isArray(m.pattern) ? m.pattern : [m.pattern];
  const lines = text.split('\n');
  const found: Problem[] = [];
  const take = (captures: Partial<Record<'file' | 'line' | 'message' | 'code', string>>): void => {
    if (!captures.file || !captures.line || !captures.message) return;
    found.push({ file: captures.file ?? '', line: Number(captures.line), message: captures.message ?? '', ...(captures.code ? { code: captures.code } : {}), severity: m.severity });
  };
  const capture = (pattern: Pattern, match: RegExpExecArray, into: Partial<Record<'file' | 'line' | 'message' | 'code', string>>): void => {
    for (const key of ['file', 'line', 'message', 'code'] as const) {
      const index = pattern[key];
      if (index !== undefined && match[index] !== undefined) into[key] = match[index];
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const captures: Partial<Record<'file' | 'line' | 'message' | 'code', string>> = {};
    let j = 0;
    for (; j < patterns.length - 1; j++) {
      const match = new RegExp(patterns[j]?.regexp ?? '').exec(lines[i + j] ?? '');
      if (!match) break;
      capture(patterns[j], match, captures);
    }
    if (j < patterns.length - 1) continue;
    const last = patterns[j];
    let k = i + j;
    for (;;) {
      const match = new RegExp(last.regexp).exec(lines[k] ?? '');
      if (!match) break;
      const each = { ...captures };
      capture(last, match, each);
      take(each);
      k++;
      if (!last.loop) break;
    }
  }
  return found;
}

function captured(name: string): string {
  return (JSON.parse(readFileSync(join(repo, 'test', 'fixtures', 'build', name), 'utf8')) as { output: string }).output;
}

describe('the $buildkit problem matchers on real plain progress', () => {
  it('$buildkit: every build-check warning on its line of the file the build definition came from, with its rule as code', () => {
    // The dropped-warnings capture shows the transfer in two lines: the loop steps over both.
    const twoLineTransfer = captured('checks-warning-dropped.buildctl-plain.json').replace('#1 transferring dockerfile: 128B done\n', '#1 transferring dockerfile: 128B done\n#1 WARN: FromAsCasing: \'as\' and \'FROM\' keywords\' casing do not match (line 1)\n');
    assert.deepEqual(problems(matcher('buildkit'), twoLineTransfer).map((p) => [p.file, p.line, p.code]), [['Dockerfile', 1, 'FromAsCasing']]);
    for (const fixture of ['checks.buildctl-plain.json', 'checks.nerdctl-plain.json']) {
      assert.deepEqual(problems(matcher('buildkit'), captured(fixture)).map((p) => [p.file, p.line, p.code, p.severity]), [
        ['Dockerfile', 1, 'FromAsCasing', 'warning'], ['Dockerfile', 2, 'LegacyKeyValueFormat', 'warning'], ['Dockerfile', 4, 'JSONArgsRecommended', 'warning'],
      ], fixture);
    }
    assert.match(problems(matcher('buildkit'), captured('checks.buildctl-plain.json'))[0]?.message ?? '', /^'as' and 'FROM' keywords' casing do not match$/);
  });

  it('$buildkit-failure: the line of the error excerpt, once per failed build, for RUN, COPY and parse failures', () => {
    const cases: [string, number][] = [['run-fails.buildctl-plain.json', 3], ['run-fails.nerdctl-plain.json', 3], ['copy-missing.buildctl-plain.json', 3], ['parse-error.buildctl-plain.json', 3]];
    for (const [fixture, line] of cases) {
      assert.deepEqual(problems(matcher('buildkit-failure'), captured(fixture)).map((p) => [p.file, p.line, p.severity]), [['Dockerfile', line, 'error']], fixture);
    }
  });

  it('neither matches a build that succeeded without warnings, in any captured plain output', () => {
    const clean = readdirSync(join(repo, 'test', 'fixtures', 'build')).filter((n) => n.startsWith('multi-ok.') && n.endsWith('-plain.json'));
    assert.ok(clean.length > 0);
    for (const fixture of clean) {
      assert.deepEqual(problems(matcher('buildkit'), captured(fixture)), [], fixture);
      assert.deepEqual(problems(matcher('buildkit-failure'), captured(fixture)), [], fixture);
    }
  });
});
