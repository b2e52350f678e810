// The build-check quick fixes against the real Dockerfile frontend: each Dockerfile below makes a
// real buildkitd's lint report the rule; after our edit the same lint no longer reports it, the
// file still parses (the outline request answers) and nothing else appeared. Skipping merges into
// the file's own check directive, which the frontend then honours.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildctlSubrequestArgs } from '../../src/buildkit/backendArgs';
import { mechanicalFix, skipRuleEdit, type LineEdit } from '../../src/buildkit/checkFixes';
import type { BuildDiagnostic } from '../../src/buildkit/diagnostics';
import { checkDiagnostics } from '../../src/buildkit/lintResult';
import { runProcess } from '../../src/process/runner';
import { startBuildkitd, type Buildkitd } from '../harness/buildkitd';
import { loadComponents } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';

/** The edits applied as the editor applies the WorkspaceEdit: whole lines replaced, lines inserted. */
function applied(text: string, edits: readonly LineEdit[]): string {
  const lines = text.split('\n');
  for (const e of [...edits].sort((a, b) => ('line' in b ? b.line : b.insertBefore) - ('line' in a ? a.line : a.insertBefore))) {
    if ('line' in e) lines[e.line] = e.replaceWith;
    else lines.splice(e.insertBefore, 0, e.text);
  }
  return lines.join('\n');
}

const cases: readonly { rule: string; text: string }[] = [
  { rule: 'FromAsCasing', text: 'FROM scratch as base\nCOPY Dockerfile /d\n' },
  { rule: 'StageNameCasing', text: 'FROM scratch AS Base\nCOPY Dockerfile /d\nFROM scratch\nCOPY --from=Base /d /e\n' },
  { rule: 'JSONArgsRecommended', text: 'FROM scratch\nCOPY Dockerfile /d\nCMD /bin/busybox sh\n' },
  { rule: 'MaintainerDeprecated', text: 'FROM scratch\nMAINTAINER Jane Doe <jane@example.com>\n' },
  { rule: 'ConsistentInstructionCasing', text: 'FROM scratch\nCOPY Dockerfile /a\nCOPY Dockerfile /b\ncopy Dockerfile /c\n' },
];

describe('build-check quick fixes on the real Dockerfile frontend', () => {
  const components = loadComponents();
  const scratch = mkdtempSync(join(tmpdir(), 'vscc-checkfix-'));
  let daemon: ContainerdDaemon;
  let buildkitd: Buildkitd;

  before(async () => {
    daemon = await startContainerd('2.x');
    buildkitd = await startBuildkitd(daemon);
  });
  after(async () => {
    await buildkitd?.stop();
    await daemon?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  let n = 0;
  async function lint(text: string): Promise<BuildDiagnostic[]> {
    const dir = join(scratch, String(++n));
    const file = join(dir, 'Dockerfile');
    mkdirSync(dir);
    writeFileSync(file, text);
    const ask = (request: 'frontend.lint' | 'frontend.outline') => runProcess({ file: components.tools.buildctl, args: buildctlSubrequestArgs(buildkitd.address, undefined, file, request) }, { timeoutMs: 120_000 });
    const [found, outline] = await Promise.all([ask('frontend.lint'), ask('frontend.outline')]);
    assert.equal(found.exitCode, 0, found.stderr);
    assert.equal(outline.exitCode, 0, `the file does not parse:\n${text}\n${outline.stderr}`);
    return checkDiagnostics({ lintStdout: found.stdout, outline }, { path: file, text });
  }

  for (const { rule, text } of cases) {
    it(`${rule}: reported, then gone after the fix, with nothing new`, async () => {
      const before = await lint(text);
      const finding = before.find((d) => d.code === rule);
      assert.ok(finding, `the frontend does not report ${rule} for:\n${text}\nit says ${JSON.stringify(before.map((d) => d.code))}`);
      const fix = mechanicalFix(text, rule, finding.range.startLine, finding.message);
      assert.ok(fix, `no fix for ${rule}: ${finding.message}`);
      const fixed = applied(text, fix.edits);
      const afterFix = await lint(fixed);
      assert.deepEqual(afterFix.map((d) => d.code).sort(), before.map((d) => d.code).filter((c) => c !== rule).sort(), `after the fix:\n${fixed}`);
    });
  }

  it('skip: a new directive, and one merged into the check directive the file has, are both honoured', async () => {
    const text = 'FROM scratch as base\nCMD /bin/busybox sh\n';
    const fresh = applied(text, [skipRuleEdit(text, 'FromAsCasing')!]);
    assert.deepEqual((await lint(fresh)).map((d) => d.code), ['JSONArgsRecommended']);
    const merged = applied(fresh, [skipRuleEdit(fresh, 'JSONArgsRecommended')!]);
    assert.equal(merged.split('\n').filter((l) => l.startsWith('# check=')).length, 1, merged);
    assert.deepEqual(await lint(merged), []);
    const withError = '# check=error=true\nFROM scratch as base\n';
    const mergedError = applied(withError, [skipRuleEdit(withError, 'FromAsCasing')!]);
    assert.equal(mergedError.split('\n')[0], '# check=skip=FromAsCasing;error=true');
    assert.deepEqual(await lint(mergedError), []);
  });
});
