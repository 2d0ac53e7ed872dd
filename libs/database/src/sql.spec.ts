import { defineStatement, raw, rel, sql, withCtes } from './sql.js';

describe('sql fragments', () => {
  it('number named parameters by first use, once per name, and bind values by name', () => {
    const s = defineStatement<{ userId: string; key: string; n: number }>(
      't',
      (p) =>
        sql`SELECT ${p.key}::text, ${p.userId}::uuid WHERE ${p.userId}::uuid IS NOT NULL AND ${p.n}::int > 0`,
    );
    expect(s.text).toBe('SELECT $1::text, $2::uuid WHERE $2::uuid IS NOT NULL AND $3::int > 0');
    expect(s.bind({ n: 3, key: 'k', userId: 'u' })).toEqual({
      name: 't',
      text: s.text,
      values: ['k', 'u', 3],
    });
  });

  it('number the parameters of nested fragments in the order of the whole text', () => {
    const inner = (x: ReturnType<typeof raw>) => sql`inner(${x})`;
    const s = defineStatement<{ a: number; b: number }>(
      't',
      (p) => sql`${p.b} ${inner(p.a)} ${sql`${p.a}, ${p.b}, ${raw('3')}`}`,
    );
    expect(s.text).toBe('$1 inner($2) $2, $1, 3');
    expect(s.bind({ a: 10, b: 20 }).values).toEqual([20, 10]);
  });

  it('build WITH from CTEs that read only the CTEs before them', () => {
    const s = defineStatement<{ id: string }>('t', (p) =>
      withCtes()
        .cte('a', sql`SELECT ${p.id}::uuid AS id`, { materialized: true })
        .cte('b', sql`SELECT id FROM ${rel('a')}`)
        .select(sql`SELECT * FROM ${rel('b')}, ${rel('a')}`),
    );
    expect(s.text).toBe(
      'WITH a AS MATERIALIZED (SELECT $1::uuid AS id), b AS (SELECT id FROM a)\nSELECT * FROM b, a',
    );
  });

  it('refuse a CTE or a statement that reads a relation not produced before it', () => {
    // Compile errors first (tsc checks this file); the runtime check covers casts and `any`.
    expect(() =>
      withCtes()
        // @ts-expect-error 'a' is not produced yet
        .cte('b', sql`SELECT * FROM ${rel('a')}`),
    ).toThrow('b reads a, not produced before it');
    expect(() =>
      withCtes()
        .cte('a', sql`SELECT 1`)
        // @ts-expect-error 'taken' is not a CTE of this statement
        .select(sql`SELECT * FROM ${rel('a')}, ${rel('taken')}`),
    ).toThrow('the final statement reads taken');
    expect(() =>
      withCtes()
        .cte('a', sql`SELECT 1`)
        .cte('a', sql`SELECT 2`),
    ).toThrow('twice');
  });

  it('accept only declared parameter names (a compile error otherwise)', () => {
    defineStatement<{ id: string }>(
      't',
      (p) =>
        // @ts-expect-error `other` is not a parameter of this statement
        sql`SELECT ${p.other}`,
    );
    const s = defineStatement<{ id: string }>('t', (p) => sql`SELECT ${p.id}`);
    // @ts-expect-error a value is missing
    s.bind({});
  });
});
