// Quick fixes for the Dockerfile build checks: skip a rule in this Dockerfile (the `# check=`
// parser directive, merged into the one that exists), or fix the finding where the fix is
// mechanical. Pure: a Dockerfile's text and a finding in, line edits out (no edit when the line is
// not what the rule describes, so a stale finding changes nothing).

/** Replace a whole line, or insert a new line before `line`. */
export type LineEdit = { readonly line: number; readonly replaceWith: string } | { readonly insertBefore: number; readonly text: string };

const directive = /^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*)$/;

/** The parser directives at the top: they end at the first line that is not `# key=value`. */
function directiveLines(lines: readonly string[]): { index: number; key: string; value: string }[] {
  const found: { index: number; key: string; value: string }[] = [];
  for (const [index, line] of lines.entries()) {
    const match = directive.exec(line.trim());
    if (!match?.[1]) break;
    found.push({ index, key: match[1].toLowerCase(), value: (match[2] ?? '').trim() });
  }
  return found;
}

/** `# check=skip=<rule>`, merged into the file's own check directive when it has one. */
export function skipRuleEdit(text: string, rule: string): LineEdit | undefined {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(rule)) return undefined;
  const lines = text.split('\n');
  const check = directiveLines(lines).find((d) => d.key === 'check');
  if (!check) return { insertBefore: 0, text: `# check=skip=${rule}` };
  const parts = check.value.split(';').map((p) => p.trim()).filter(Boolean);
  const skipAt = parts.findIndex((p) => /^skip\s*=/i.test(p));
  if (skipAt < 0) return { line: check.index, replaceWith: `# check=${[`skip=${rule}`, ...parts].join(';')}` };
  const skipped = (parts[skipAt] ?? '').replace(/^skip\s*=\s*/i, '').split(',').map((r) => r.trim()).filter(Boolean);
  if (skipped.includes('all') || skipped.includes(rule)) return undefined;
  parts[skipAt] = `skip=${[...skipped, rule].join(',')}`;
  return { line: check.index, replaceWith: `# check=${parts.join(';')}` };
}

/** The keyword as the majority writes it: all upper or all lower. */
function cased(word: string, upper: boolean): string {
  return upper ? word.toUpperCase() : word.toLowerCase();
}

/** FromAsCasing: the `as` keyword takes the casing of the FROM keyword. */
export function fromAsCasingEdit(lines: readonly string[], line: number): LineEdit | undefined {
  const match = /^(\s*)(from)(\s.*\s)(as)(\s+\S+\s*)$/i.exec(lines[line] ?? '');
  if (!match) return undefined;
  const [, indent = '', from = '', middle = '', , rest = ''] = match;
  const upper = from === from.toUpperCase();
  return { line, replaceWith: `${indent}${from}${middle}${cased('as', upper)}${rest}` };
}

/** ConsistentInstructionCasing: the instruction keyword in the majority's casing (named in the finding). */
export function instructionCasingEdit(lines: readonly string[], line: number, message: string): LineEdit | undefined {
  const majority = /majority \((uppercase|lowercase)\)/.exec(message)?.[1];
  const match = /^(\s*)([A-Za-z]+)(\s|$)/.exec(lines[line] ?? '');
  if (!majority || !match?.[2]) return undefined;
  const original = lines[line] ?? '';
  const start = (match[1] ?? '').length;
  return { line, replaceWith: `${original.slice(0, start)}${cased(match[2], majority === 'uppercase')}${original.slice(start + match[2].length)}` };
}

/** StageNameCasing: the stage's name in lowercase where it is defined and wherever it is used. */
export function stageNameCasingEdits(lines: readonly string[], message: string): LineEdit[] {
  const name = /Stage name '([^']+)' should be lowercase/.exec(message)?.[1];
  if (!name) return [];
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const lower = name.toLowerCase();
  const patterns = [
    new RegExp(`^(\\s*from\\s.*\\sas\\s+)${escaped}(\\s*)$`, 'i'),
    new RegExp(`^(\\s*from\\s+(?:--\\S+\\s+)*)${escaped}(\\s|$)`, 'i'),
    new RegExp(`(--from=)${escaped}(\\s|$)`, 'gi'),
    new RegExp(`(--mount=\\S*\\bfrom=)${escaped}([,\\s]|$)`, 'gi'),
  ];
  const edits: LineEdit[] = [];
  for (const [line, text] of lines.entries()) {
    let changed = text;
    for (const pattern of patterns) changed = changed.replace(pattern, (_, before: string, after: string | undefined) => `${before}${lower}${after ?? ''}`);
    if (changed !== text) edits.push({ line, replaceWith: changed });
  }
  return edits;
}

/** Characters that make a shell-form command mean more than its words. */
const shellSyntax = /[$`|&;<>()*?[\]{}~\\'"#!]/;

/** JSONArgsRecommended: CMD/ENTRYPOINT in exec form, when the shell form is only plain words. */
export function jsonArgsEdit(lines: readonly string[], line: number): LineEdit | undefined {
  const match = /^(\s*)(cmd|entrypoint)(\s+)(.*?)\s*$/i.exec(lines[line] ?? '');
  const command = match?.[4];
  if (!match || !command || command.startsWith('[') || shellSyntax.test(command)) return undefined;
  const words = command.split(/\s+/);
  return { line, replaceWith: `${match[1] ?? ''}${match[2] ?? ''}${match[3] ?? ''}[${words.map((w) => JSON.stringify(w)).join(', ')}]` };
}

/** MaintainerDeprecated: the author as the OCI label. */
export function maintainerEdit(lines: readonly string[], line: number): LineEdit | undefined {
  const match = /^(\s*)maintainer\s+(.+?)\s*$/i.exec(lines[line] ?? '');
  if (!match?.[2]) return undefined;
  return { line, replaceWith: `${match[1] ?? ''}LABEL org.opencontainers.image.authors=${JSON.stringify(match[2])}` };
}

export interface CheckFix {
  readonly title: string;
  readonly edits: readonly LineEdit[];
}

/** The mechanical fix for a finding of `rule` on `line` (0-based), when there is one. */
export function mechanicalFix(text: string, rule: string, line: number, message: string): CheckFix | undefined {
  const lines = text.split('\n');
  const one = (title: string, edit: LineEdit | undefined): CheckFix | undefined => (edit ? { title, edits: [edit] } : undefined);
  switch (rule) {
    case 'FromAsCasing': return one('Match the casing of AS to FROM', fromAsCasingEdit(lines, line));
    case 'ConsistentInstructionCasing': return one('Use the casing of the other instructions', instructionCasingEdit(lines, line, message));
    case 'JSONArgsRecommended': return one('Use the exec (JSON) form', jsonArgsEdit(lines, line));
    case 'MaintainerDeprecated': return one('Replace MAINTAINER with the org.opencontainers.image.authors label', maintainerEdit(lines, line));
    case 'StageNameCasing': {
      const edits = stageNameCasingEdits(lines, message);
      return edits.length > 0 ? { title: 'Lowercase the stage name where it is defined and used', edits } : undefined;
    }
    default: return undefined;
  }
}
