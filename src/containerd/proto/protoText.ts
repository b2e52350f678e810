// Reads the subset of .proto text our own definitions use (package, message, enum, service,
// nested declarations, repeated / optional / map fields) into plain declarations. Pure, and
// strict: anything outside that subset throws with the line, so a definition never half-parses.

/** The scalars containerd's fields (the ones we declare) use; the codec reads and writes only these. */
export type ScalarType = 'int32' | 'int64' | 'uint32' | 'uint64' | 'bool' | 'string' | 'bytes';

const scalarTypes: ReadonlySet<string> = new Set<ScalarType>(['int32', 'int64', 'uint32', 'uint64', 'bool', 'string', 'bytes']);
/** proto3 scalars no declared field uses: refused by name rather than looked up as messages. */
const unsupportedScalars: ReadonlySet<string> = new Set(['double', 'float', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64']);

export function isScalarType(name: string): name is ScalarType {
  return scalarTypes.has(name);
}

export interface FieldDecl {
  readonly name: string;
  readonly number: number;
  /** A scalar type, or a message / enum name as written (resolved later against the scopes). */
  readonly type: string;
  readonly rule: 'single' | 'repeated' | 'optional' | 'map';
  /** Only for maps: the key's scalar type. */
  readonly keyType?: string;
}

export interface MessageDecl { readonly kind: 'message'; readonly fullName: string; readonly fields: readonly FieldDecl[] }
export interface EnumDecl { readonly kind: 'enum'; readonly fullName: string; readonly values: ReadonlyMap<number, string>; readonly first: string }
export interface RpcDecl { readonly name: string; readonly request: string; readonly response: string }
export interface ServiceDecl { readonly fullName: string; readonly rpcs: readonly RpcDecl[] }

export interface ProtoFile {
  readonly package: string;
  /** Messages and enums by full name (no leading dot), nested ones included. */
  readonly types: readonly (MessageDecl | EnumDecl)[];
  readonly services: readonly ServiceDecl[];
}

/** Tokens: identifiers (dotted), numbers, strings and single punctuation marks; comments dropped. */
function tokenize(text: string): { value: string; line: number }[] {
  const tokens: { value: string; line: number }[] = [];
  const pattern = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"[^"\n]*"|[A-Za-z_.][A-Za-z0-9_.]*|-?[0-9]+|[{}()<>;=,[\]]|(.)/g;
  let line = 1;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const [token, invalid] = m;
    if (invalid !== undefined) throw new Error(`proto line ${line}: unexpected ${JSON.stringify(invalid)}`);
    if (!/^\s|^\/[/*]/.test(token)) tokens.push({ value: token, line });
    line += token.split('\n').length - 1;
  }
  return tokens;
}

class Tokens {
  private index = 0;
  constructor(private readonly tokens: readonly { value: string; line: number }[]) {}

  get done(): boolean {
    return this.index >= this.tokens.length;
  }

  peek(): string | undefined {
    return this.tokens[this.index]?.value;
  }

  next(): string {
    const token = this.tokens[this.index++];
    if (!token) throw new Error('proto: unexpected end of text');
    return token.value;
  }

  expect(value: string): void {
    const line = this.line();
    const got = this.next();
    if (got !== value) throw new Error(`proto line ${line}: expected ${JSON.stringify(value)}, got ${JSON.stringify(got)}`);
  }

  identifier(): string {
    const line = this.line();
    const got = this.next();
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(got)) throw new Error(`proto line ${line}: expected a name, got ${JSON.stringify(got)}`);
    return got;
  }

  number(): number {
    const line = this.line();
    const got = this.next();
    if (!/^-?[0-9]+$/.test(got)) throw new Error(`proto line ${line}: expected a number, got ${JSON.stringify(got)}`);
    return Number(got);
  }

  fail(what: string): never {
    throw new Error(`proto line ${this.line()}: ${what}`);
  }

  private line(): number {
    return this.tokens[this.index]?.line ?? this.tokens[this.tokens.length - 1]?.line ?? 0;
  }
}

export function parseProto(text: string): ProtoFile {
  const t = new Tokens(tokenize(text));
  let pkg = '';
  const types: (MessageDecl | EnumDecl)[] = [];
  const services: ServiceDecl[] = [];
  const qualify = (name: string): string => (pkg ? `${pkg}.${name}` : name);
  while (!t.done) {
    const word = t.next();
    if (word === 'syntax') {
      t.expect('=');
      if (t.next() !== '"proto3"') t.fail('only proto3 is supported');
      t.expect(';');
    } else if (word === 'package') {
      pkg = t.identifier();
      t.expect(';');
    } else if (word === 'message') {
      message(t, qualify(t.identifier()), types);
    } else if (word === 'enum') {
      types.push(enumeration(t, qualify(t.identifier())));
    } else if (word === 'service') {
      services.push(service(t, qualify(t.identifier())));
    } else {
      t.fail(`unexpected ${JSON.stringify(word)}`);
    }
  }
  return { package: pkg, types, services };
}

function message(t: Tokens, fullName: string, into: (MessageDecl | EnumDecl)[]): void {
  const fields: FieldDecl[] = [];
  into.push({ kind: 'message', fullName, fields });
  t.expect('{');
  while (t.peek() !== '}') {
    const word = t.identifier();
    if (word === 'message') {
      message(t, `${fullName}.${t.identifier()}`, into);
      continue;
    }
    if (word === 'enum') {
      into.push(enumeration(t, `${fullName}.${t.identifier()}`));
      continue;
    }
    let rule: FieldDecl['rule'] = 'single';
    let type = word;
    let keyType: string | undefined;
    if (word === 'repeated' || word === 'optional') {
      rule = word;
      type = t.identifier();
    } else if (word === 'map') {
      rule = 'map';
      t.expect('<');
      keyType = t.identifier();
      if (!isScalarType(keyType) || keyType === 'bytes') t.fail(`a map key cannot be ${keyType}`);
      t.expect(',');
      type = t.identifier();
      t.expect('>');
    }
    if (unsupportedScalars.has(type)) t.fail(`${type} fields are not supported by this codec (no declared field needs them)`);
    const name = t.identifier();
    t.expect('=');
    const number = t.number();
    if (number < 1 || number > 536_870_911) t.fail(`field number ${number} of ${name} is out of range`);
    if (fields.some((f) => f.number === number)) t.fail(`field number ${number} is used twice in ${fullName}`);
    t.expect(';');
    fields.push({ name, number, type, rule, ...(keyType ? { keyType } : {}) });
  }
  t.expect('}');
}

function enumeration(t: Tokens, fullName: string): EnumDecl {
  const values = new Map<number, string>();
  let first: string | undefined;
  t.expect('{');
  while (t.peek() !== '}') {
    const name = t.identifier();
    t.expect('=');
    const number = t.number();
    t.expect(';');
    first ??= name;
    if (!values.has(number)) values.set(number, name);
  }
  t.expect('}');
  if (first === undefined) t.fail(`enum ${fullName} has no values`);
  return { kind: 'enum', fullName, values, first };
}

function service(t: Tokens, fullName: string): ServiceDecl {
  const rpcs: RpcDecl[] = [];
  t.expect('{');
  while (t.peek() !== '}') {
    t.expect('rpc');
    const name = t.identifier();
    t.expect('(');
    const request = t.identifier();
    t.expect(')');
    t.expect('returns');
    t.expect('(');
    let response = t.identifier();
    // A server stream's messages are encoded as the unary ones: only the call kind differs.
    if (response === 'stream') response = t.identifier();
    t.expect(')');
    t.expect(';');
    rpcs.push({ name, request, response });
  }
  t.expect('}');
  return { fullName, rpcs };
}
