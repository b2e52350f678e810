// Text from the daemon (names, labels, keys) shown in Markdown tooltips. A label is anyone's
// to write: unescaped, `[x](https://...)` or `![](https://...)` in one becomes a link or a remote
// image in the hover. These helpers make such text show as text.

/** Markdown's punctuation escaped and line breaks flattened: the text renders as itself. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|<>~&:]/g, '\\$&');
}

/** An inline code span no backtick run inside the text can close early (CommonMark's rule). */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat === '' || flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
