// Go string literals, as Go's build info writes a build setting's key or value that holds a space,
// tab, newline, quote or backquote (`-gcflags="all=-N -l"`). The writer uses Go's quoting (\" \\ \n
// \t, \xNN for a byte that is not UTF-8, \u for an unprintable rune); its reader also accepts a
// back-quoted raw literal. Escapes follow the Go specification, "String literals".

export interface QuotedPrefix {
  /** The string the literal stands for. */
  readonly value: string;
  /** How many characters of the text the literal spans, quotes included. */
  readonly length: number;
}

const singleEscapes: Readonly<Record<string, number>> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 0x5c, '"': 0x22 };
const hexDigits: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

function utf8(codePoint: number): number[] {
  return [...Buffer.from(String.fromCodePoint(codePoint))];
}

/** One escape after a backslash at `text[at]`: the bytes it stands for and the characters it spans, or undefined when invalid. */
function escape(text: string, at: number): { bytes: number[]; span: number } | undefined {
  const kind = text.charAt(at);
  const single = singleEscapes[kind];
  if (single !== undefined) return { bytes: [single], span: 1 };
  const digits = hexDigits[kind];
  if (digits !== undefined) {
    const hex = text.slice(at + 1, at + 1 + digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) return undefined;
    const value = parseInt(hex, 16);
    // \xNN is one byte, possibly not UTF-8; \u and \U are a rune, which must be a valid code point.
    if (kind === 'x') return { bytes: [value], span: 1 + digits };
    if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return undefined;
    return { bytes: utf8(value), span: 1 + digits };
  }
  const octal = text.slice(at, at + 3);
  if (!/^[0-7]{3}$/.test(octal)) return undefined;
  const value = parseInt(octal, 8);
  return value > 0xff ? undefined : { bytes: [value], span: 3 };
}

function interpreted(text: string): QuotedPrefix | undefined {
  const bytes: number[] = [];
  let i = 1;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') return { value: Buffer.from(bytes).toString('utf8'), length: i + 1 };
    if (c === '\n') return undefined;
    if (c === '\\') {
      const escaped = escape(text, i + 1);
      if (!escaped) return undefined;
      bytes.push(...escaped.bytes);
      i += 1 + escaped.span;
    } else {
      const codePoint = text.codePointAt(i) ?? 0;
      bytes.push(...utf8(codePoint));
      i += codePoint > 0xffff ? 2 : 1;
    }
  }
  return undefined;
}

/** The Go string literal that starts `text`, or undefined when `text` does not start with a valid one. */
export function goQuotedPrefix(text: string): QuotedPrefix | undefined {
  if (text.startsWith('"')) return interpreted(text);
  if (!text.startsWith('`')) return undefined;
  const end = text.indexOf('`', 1);
  // A raw literal holds its text as written, except carriage returns, which Go drops.
  return end < 0 ? undefined : { value: text.slice(1, end).replace(/\r/g, ''), length: end + 1 };
}

/** The string that the Go literal `text` stands for; undefined unless `text` is exactly one valid literal. */
export function goUnquote(text: string): string | undefined {
  const prefix = goQuotedPrefix(text);
  return prefix && prefix.length === text.length ? prefix.value : undefined;
}
