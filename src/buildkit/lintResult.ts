// What the Dockerfile frontend's lint request prints (buildctl ... --opt requestid=frontend.lint):
// for each finding `WARNING: <Rule> - <url>`, its description, then the source excerpt with the
// finding's lines marked `>>>`. Read into the same diagnostics a build gives, without building.
import { posix } from 'node:path';
import { screenLines } from './buildLog';
import { buildDiagnostics, type BuildDiagnostic, type DockerfileSource } from './diagnostics';

const heading = /^(WARNING|ERROR): ([A-Za-z][A-Za-z0-9]*)(?: - (\S+))?$/;
const ruler = /^-{20,}$/;

export function lintDiagnostics(stdout: string, dockerfile: DockerfileSource): BuildDiagnostic[] {
  const lines = screenLines(stdout);
  const fileLines = dockerfile.text.split('\n');
  const out: BuildDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = heading.exec(lines[i] ?? '');
    if (!head?.[1] || !head[2]) continue;
    const description: string[] = [];
    let marked: number[] = [];
    let file: string | undefined;
    for (i++; i < lines.length && !heading.test(lines[i] ?? ''); i++) {
      const line = lines[i] ?? '';
      const location = /^(\S.*):(\d+)$/.exec(line);
      if (location?.[1] && ruler.test(lines[i + 1] ?? '')) {
        file = location[1];
        marked = [];
        for (i += 2; i < lines.length && !ruler.test(lines[i] ?? ''); i++) {
          const numbered = /^\s*(\d+) \| >>>/.exec(lines[i] ?? '');
          if (numbered?.[1]) marked.push(Number(numbered[1]));
        }
        if (marked.length === 0) marked = [Number(location[2])];
      } else if (line.trim() && file === undefined) {
        description.push(line.trim());
      }
    }
    i--;
    if (file !== undefined && posix.basename(file) !== posix.basename(dockerfile.path)) continue;
    const last = Math.max(fileLines.length - 1, 0);
    const start = Math.min(Math.max((marked.length > 0 ? Math.min(...marked) : 1) - 1, 0), last);
    const end = Math.min(Math.max((marked.length > 0 ? Math.max(...marked) : 1) - 1, start), last);
    out.push({
      severity: head[1] === 'ERROR' ? 'error' : 'warning',
      message: description.join(' ') || head[2],
      range: { startLine: start, startCharacter: 0, endLine: end, endCharacter: (fileLines[end] ?? '').length },
      code: head[2],
      url: head[3],
      platform: undefined,
    });
  }
  return out;
}

/** What Check Dockerfile asked: the lint request's stdout, and how the outline request ended. */
export interface CheckAnswers {
  readonly lintStdout: string;
  readonly outline: { readonly exitCode: number | undefined; readonly stderr: string };
}

/** The lint findings, plus the parse error the outline request failed on (lint prints none for it). */
export function checkDiagnostics(answers: CheckAnswers, dockerfile: DockerfileSource): BuildDiagnostic[] {
  const parseErrors = answers.outline.exitCode === 0 ? [] : buildDiagnostics(answers.outline.stderr, dockerfile, 'plain').filter((d) => d.severity === 'error');
  return [...parseErrors, ...lintDiagnostics(answers.lintStdout, dockerfile)];
}
