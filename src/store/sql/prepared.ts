import type { Compilable, CompiledQuery } from 'kysely';
import type { SqlContext } from './executor.js';
import type { SqlDialectName } from './migrations.js';

const MARK = '\u0000param:';

type Slot = number | { value: unknown };

interface Template {
  compiled: CompiledQuery;
  slots: Slot[];
}

/**
 * A query built and compiled by Kysely once per dialect; a call only binds its arguments.
 * Building and compiling (an immutable builder, then a walk of its tree) cost as much CPU as
 * SQLite spends running the small indexed statements of the write path, which runs these for
 * every message and receipt. `build` must use its arguments only as values: each is passed as a
 * marker, and the marker's place among the compiled parameters is where the argument goes.
 */
export class PreparedQuery<Row, Args extends unknown[]> {
  private readonly templates = new Map<SqlDialectName, Template>();

  constructor(private readonly build: (ctx: SqlContext, ...args: Args) => Compilable<Row>) {}

  async execute(ctx: SqlContext, ...args: Args): Promise<{ rows: Row[]; affected: number }> {
    const { compiled, slots } = this.template(ctx, args.length);
    const parameters = slots.map((slot) => (typeof slot === 'number' ? args[slot] : slot.value));
    const result = await ctx.db.executeQuery<Row>({ ...compiled, parameters });
    return { rows: result.rows, affected: Number(result.numAffectedRows ?? 0) };
  }

  private template(ctx: SqlContext, arity: number): Template {
    const cached = this.templates.get(ctx.dialect);
    if (cached) return cached;
    const markers = Array.from({ length: arity }, (_, i) => `${MARK}${i}`) as Args;
    const compiled = this.build(ctx, ...markers).compile();
    if (compiled.sql.includes(MARK)) throw new Error('a prepared query used an argument outside a value');
    const slots = compiled.parameters.map((p): Slot => (typeof p === 'string' && p.startsWith(MARK) ? Number(p.slice(MARK.length)) : { value: p }));
    const template = { compiled, slots };
    this.templates.set(ctx.dialect, template);
    return template;
  }
}
