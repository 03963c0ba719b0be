import type { Compilable, CompiledQuery } from 'kysely';
import type { SqlContext } from './executor.js';

const MARK = '\u0000param:';

/** Where a compiled parameter comes from: an argument, a field of a record argument, or a constant. */
type Slot = { arg: number; key?: string } | { value: unknown };

interface Template {
  compiled: CompiledQuery;
  slots: Slot[];
}

/** A record argument: its keys may shape the query (the columns of a patch), its values are bound. */
export type Fields = Record<string, unknown>;

/** Shapes kept per query: key sets and list lengths are few in practice, but must not grow without end. */
const MAX_SHAPES = 64;

/**
 * A name for the SQL of every PostgreSQL template, so its pool can prepare each statement once
 * per connection instead of having PostgreSQL parse and plan it on every call (see
 * postgres-store.ts). Bounded by the templates: a fixed set of queries, at most MAX_SHAPES each.
 */
const postgresNames = new Map<string, string>();

export function preparedStatementName(sql: string): string | undefined {
  return postgresNames.get(sql);
}

const isFields = (arg: unknown): arg is Fields => typeof arg === 'object' && arg !== null && !Array.isArray(arg) && !(arg instanceof Uint8Array);

/** The keys of a record argument that are bound: an undefined field is left out, as Kysely leaves it out. */
const boundKeys = (fields: Fields): string[] => Object.keys(fields).filter((key) => fields[key] !== undefined);

/**
 * A query built and compiled by Kysely once per dialect and shape; a call only binds its
 * arguments. Building and compiling (an immutable builder, then a walk of its tree) cost as much
 * CPU as SQLite spends running the small indexed statements of the write path, which runs these
 * for every message, receipt and webhook. `build` must use its arguments only as values: each is
 * passed as a marker, and the marker's place among the compiled parameters is where the argument
 * goes. A record argument (`Fields`) is passed as a record of markers with the same defined keys,
 * so its keys may decide the query's columns, and a list as a list of markers as long, for `in`;
 * each set of keys and each length is its own template.
 */
export class PreparedQuery<Row, Args extends unknown[]> {
  private readonly templates = new Map<string, Template>();

  constructor(private readonly build: (ctx: SqlContext, ...args: Args) => Compilable<Row>) {}

  async execute(ctx: SqlContext, ...args: Args): Promise<{ rows: Row[]; affected: number }> {
    const { compiled, slots } = this.template(ctx, args);
    const parameters = slots.map((slot) => ('arg' in slot ? (slot.key === undefined ? args[slot.arg] : (args[slot.arg] as Fields)[slot.key]) : slot.value));
    const result = await ctx.db.executeQuery<Row>({ ...compiled, parameters });
    return { rows: result.rows, affected: Number(result.numAffectedRows ?? 0) };
  }

  private template(ctx: SqlContext, args: Args): Template {
    let key: string = ctx.dialect;
    for (const arg of args) {
      if (Array.isArray(arg)) key += `|[${arg.length}]`;
      else if (isFields(arg)) key += `|${boundKeys(arg).join(',')}`;
    }
    const cached = this.templates.get(key);
    if (cached) return cached;
    const markers = args.map((arg, i) => {
      if (Array.isArray(arg)) return arg.map((_, j) => `${MARK}${i}.${j}`);
      if (isFields(arg)) return Object.fromEntries(boundKeys(arg).map((field) => [field, `${MARK}${i}.${field}`]));
      return `${MARK}${i}`;
    }) as Args;
    const compiled = this.build(ctx, ...markers).compile();
    if (compiled.sql.includes(MARK)) throw new Error('a prepared query used an argument outside a value');
    const slots = compiled.parameters.map((p): Slot => {
      if (typeof p !== 'string' || !p.startsWith(MARK)) return { value: p };
      const [arg, field] = p.slice(MARK.length).split('.', 2);
      return field === undefined ? { arg: Number(arg) } : { arg: Number(arg), key: field };
    });
    if (ctx.dialect === 'postgres' && !postgresNames.has(compiled.sql)) postgresNames.set(compiled.sql, `wa_prepared_${postgresNames.size + 1}`);
    const template = { compiled, slots };
    if (this.templates.size >= MAX_SHAPES) this.templates.delete(this.templates.keys().next().value as string);
    this.templates.set(key, template);
    return template;
  }
}
