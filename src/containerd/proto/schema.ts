// Parsed .proto declarations resolved into plans the codec walks: each message's fields by number,
// with their types looked up as protobuf scopes them (innermost first), once per message type.
import { isScalarType, parseProto, type EnumDecl, type FieldDecl, type MessageDecl, type ScalarType, type ServiceDecl } from './protoText';
import { wireType } from './wireReader';

export interface FieldPlan {
  readonly name: string;
  readonly number: number;
  readonly rule: FieldDecl['rule'];
  /** The value's type (for a map: the entry's value). */
  readonly value: ValuePlan;
  /** Only for maps: the key's type. */
  readonly key?: ScalarType;
  /** The wire type the value travels as (a map entry, like a message, is length-delimited). */
  readonly wire: number;
}

export type ValuePlan =
  | { readonly kind: 'scalar'; readonly type: ScalarType }
  | { readonly kind: 'enum'; readonly decl: EnumDecl; readonly numbers: ReadonlyMap<string, number> }
  | { readonly kind: 'message'; readonly plan: MessagePlan };

export interface MessagePlan {
  readonly fullName: string;
  readonly fields: readonly FieldPlan[];
  /** Fields by number, for the decoder's lookup of each tag (an array: numbers are small). */
  readonly byNumber: readonly (FieldPlan | undefined)[];
  /** A decoded message before its first field: every default that is a primitive or null. */
  readonly template: Readonly<Record<string, unknown>>;
  /** The fields whose default is an object each message needs its own of ([], {}, empty bytes). */
  readonly fresh: readonly FieldPlan[];
}

export interface RpcPlan {
  readonly path: string;
  readonly request: MessagePlan;
  readonly response: MessagePlan;
}

/** Every type and service of a set of .proto texts (which may refer to each other's types). */
export class ProtoSchema {
  private readonly decls = new Map<string, MessageDecl | EnumDecl>();
  private readonly services = new Map<string, ServiceDecl>();
  private readonly plans = new Map<string, MessagePlan>();

  constructor(sources: readonly string[]) {
    for (const source of sources) {
      const file = parseProto(source);
      for (const decl of file.types) {
        if (this.decls.has(decl.fullName)) throw new Error(`proto: ${decl.fullName} is declared twice`);
        this.decls.set(decl.fullName, decl);
      }
      for (const service of file.services) this.services.set(service.fullName, service);
    }
    // Resolve every field now, so a wrong type name fails at parse, not on some later call.
    for (const decl of this.decls.values()) if (decl.kind === 'message') this.message(decl.fullName);
  }

  has(typeName: string): boolean {
    return this.decls.get(absolute(typeName))?.kind === 'message';
  }

  message(typeName: string): MessagePlan {
    const fullName = absolute(typeName);
    const known = this.plans.get(fullName);
    if (known) return known;
    const decl = this.decls.get(fullName);
    if (decl?.kind !== 'message') throw new Error(`proto: no message ${fullName}`);
    const fields: FieldPlan[] = [];
    const byNumber: (FieldPlan | undefined)[] = [];
    const template: Record<string, unknown> = {};
    const fresh: FieldPlan[] = [];
    const plan: MessagePlan = { fullName, fields, byNumber, template, fresh };
    // Registered before its fields: a message may contain itself.
    this.plans.set(fullName, plan);
    for (const declared of decl.fields) {
      const field = this.field(declared, fullName);
      fields.push(field);
      byNumber[field.number] = field;
      if (field.rule === 'optional') continue;
      const isFresh = field.rule !== 'single' || (field.value.kind === 'scalar' && field.value.type === 'bytes');
      template[field.name] = isFresh ? null : defaultOf(field.value);
      if (isFresh) fresh.push(field);
    }
    return plan;
  }

  rpc(service: string, rpc: string): RpcPlan {
    const decl = this.services.get(absolute(service));
    if (!decl) throw new Error(`proto: no service ${service}`);
    const method = decl.rpcs.find((r) => r.name === rpc);
    if (!method) throw new Error(`no rpc ${rpc} in ${service}`);
    return {
      path: `/${decl.fullName}/${rpc}`,
      request: this.message(this.resolve(method.request, decl.fullName)),
      response: this.message(this.resolve(method.response, decl.fullName)),
    };
  }

  private field(field: FieldDecl, scope: string): FieldPlan {
    const value = this.value(field.type, scope);
    if (field.number > maxFieldNumber) throw new Error(`proto: field number ${field.number} of ${scope}.${field.name} is above ${maxFieldNumber}, which this codec does not support`);
    if (field.rule === 'map' && field.keyType && isScalarType(field.keyType)) return { name: field.name, number: field.number, rule: 'map', value, key: field.keyType, wire: wireType.lengthDelimited };
    return { name: field.name, number: field.number, rule: field.rule, value, wire: wireTypeOf(value) };
  }

  private value(type: string, scope: string): ValuePlan {
    if (isScalarType(type)) return { kind: 'scalar', type };
    const fullName = this.resolve(type, scope);
    const decl = this.decls.get(fullName);
    if (decl?.kind === 'enum') return { kind: 'enum', decl, numbers: new Map([...decl.values].map(([n, name]) => [name, n])) };
    return { kind: 'message', plan: this.message(fullName) };
  }

  /**
   * protobuf's lookup: the name inside the scope, then each enclosing scope, out to the root. The
   * parser reads no fully qualified (leading-dot) names, so every name here is relative.
   */
  private resolve(name: string, scope: string): string {
    const parts = scope.split('.');
    for (let i = parts.length; i >= 0; i--) {
      const candidate = [...parts.slice(0, i), name].join('.');
      if (this.decls.has(candidate)) return candidate;
    }
    throw new Error(`proto: ${name} (used in ${scope}) is not declared`);
  }
}

/** Field numbers index an array: containerd's stay below 100. */
const maxFieldNumber = 4096;

export function scalarWireType(type: ScalarType): number {
  return type === 'string' || type === 'bytes' ? wireType.lengthDelimited : wireType.varint;
}

export function wireTypeOf(value: ValuePlan): number {
  if (value.kind === 'scalar') return scalarWireType(value.type);
  return value.kind === 'enum' ? wireType.varint : wireType.lengthDelimited;
}

/** A single field's value when absent: '' / 0 / false / empty bytes / the enum's first name / null. */
export function defaultOf(value: ValuePlan): unknown {
  if (value.kind === 'enum') return value.decl.first;
  if (value.kind === 'message') return null;
  if (value.type === 'string') return '';
  if (value.type === 'bool') return false;
  if (value.type === 'bytes') return Buffer.alloc(0);
  return 0;
}

function absolute(typeName: string): string {
  return typeName.startsWith('.') ? typeName.slice(1) : typeName;
}
