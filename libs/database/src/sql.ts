import type { PreparedStatement } from './prepared.js';

/**
 * SQL composed from fragments that carry their parameters and the relations (CTEs) they need.
 * pg numbers parameters ($1, $2…) and has no named ones: `defineStatement` gives a statement's
 * parameters names, numbers them itself, and binds values by name. A fragment that reads a CTE
 * says so (`rel('taken')`: `R` in `Sql<R>`), and `withCtes()` only accepts a CTE or a final
 * SELECT whose relations were produced before it: a missing or renamed CTE is a compile error
 * (and an error when the statement is defined, at module load, for code the compiler did not see).
 */
export class Sql<R extends string = never> {
  /** Phantom: the CTE names this fragment reads (covariant, so Sql<never> fits anywhere). */
  declare readonly __requires?: R;

  constructor(
    /** Text and parameter names, in order. */
    readonly chunks: readonly (string | { param: string })[],
    readonly requires: readonly string[],
  ) {}
}

type RequiresOf<A> = A extends Sql<infer R> ? R : never;

/**
 * A fragment: text with fragments interpolated (parameters, CTE references, other fragments).
 * Only `Sql` can be interpolated, so nothing is ever pasted into the text by accident.
 */
export function sql<const A extends readonly Sql<string>[]>(
  strings: TemplateStringsArray,
  ...args: A
): Sql<RequiresOf<A[number]>> {
  const chunks: (string | { param: string })[] = [strings[0]!];
  const requires: string[] = [];
  args.forEach((arg, i) => {
    chunks.push(...arg.chunks, strings[i + 1]!);
    requires.push(...arg.requires);
  });
  return new Sql(chunks, requires);
}

/** A reference to a relation (a CTE) of the statement: it must be produced before it is read. */
export function rel<const N extends string>(name: N): Sql<N> {
  return new Sql([name], [name]);
}

/** Trusted constant SQL text (a keyword, an interval literal): never a value from outside. */
export function raw(text: string): Sql {
  return new Sql([text], []);
}

/**
 * `WITH a AS (…), b AS (…) <body>`, built in order: each CTE and the body may read only the
 * CTEs before them (`P`, the names produced so far).
 */
export class With<P extends string = never> {
  private constructor(
    private readonly ctes: readonly { name: string; body: Sql<string>; materialized: boolean }[],
  ) {}

  static start(): With {
    return new With([]);
  }

  /** Adds `name AS (body)`; `materialized` forces it to run once, before whatever reads it. */
  cte<const N extends string>(
    name: N,
    body: Sql<P>,
    options: { materialized?: boolean } = {},
  ): With<P | N> {
    checkRequires(body, this.names(), name);
    if (this.names().has(name)) throw new Error(`CTE ${name} is defined twice`);
    return new With<P | N>([
      ...this.ctes,
      { name, body, materialized: options.materialized ?? false },
    ]);
  }

  /** The statement: the CTEs, then the body that reads them. */
  select(body: Sql<P>): Sql {
    checkRequires(body, this.names(), 'the final statement');
    return new Sql(
      [
        'WITH ',
        ...this.ctes.flatMap((c, i) => [
          i === 0 ? '' : ', ',
          `${c.name} AS ${c.materialized ? 'MATERIALIZED ' : ''}(`,
          ...c.body.chunks,
          ')',
        ]),
        '\n',
        ...body.chunks,
      ],
      [],
    );
  }

  private names(): Set<string> {
    return new Set(this.ctes.map((c) => c.name));
  }
}

export const withCtes = (): With => With.start();

function checkRequires(body: Sql<string>, produced: Set<string>, where: string): void {
  const missing = body.requires.filter((n) => !produced.has(n));
  if (missing.length > 0)
    throw new Error(`${where} reads ${missing.join(', ')}, not produced before it`);
}

/** The named parameters of a statement, as fragments (`${p.userId}::uuid`). */
export type Params<T> = { readonly [K in keyof T]-?: Sql };

/** A statement defined once with named parameters; `bind` numbers the values. */
export interface StatementDefinition<T> {
  readonly name: string;
  readonly text: string;
  /** The parameter names in the order of their numbers ($1 is `order[0]`). */
  readonly order: readonly (keyof T & string)[];
  bind(values: T): PreparedStatement;
}

/**
 * Builds a prepared statement's text once, from named parameters: each name becomes one `$n`
 * (by first use; a name used twice is one parameter), and `bind` lays the values out by name.
 * `T` lists every parameter with its type, so a missing or misspelled value is a compile error.
 */
export function defineStatement<T extends object>(
  name: string,
  build: (p: Params<T>) => Sql,
): StatementDefinition<T> {
  const params = new Proxy({} as Params<T>, {
    get: (_, key) => new Sql([{ param: String(key) }], []),
  });
  const statement = build(params);
  const order: string[] = [];
  const text = statement.chunks
    .map((c) => {
      if (typeof c === 'string') return c;
      let n = order.indexOf(c.param);
      if (n < 0) n = order.push(c.param) - 1;
      return `$${n + 1}`;
    })
    .join('');
  return {
    name,
    text,
    order: order as (keyof T & string)[],
    bind: (values) => ({
      name,
      text,
      values: order.map((key) => (values as Record<string, unknown>)[key]),
    }),
  };
}
