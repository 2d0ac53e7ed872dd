/** SQLSTATE raise_exception: what our PL/pgSQL rules raise, with their code in DETAIL. */
const RAISED_BY_A_RULE = 'P0001';

/**
 * The code a database rule refused a statement with (`RAISE … USING ERRCODE = 'P0001', DETAIL =
 * '<code>'`), or undefined for any other failure. Read from pg's error or TypeORM's wrapper of it;
 * never from the message text, which is for people.
 */
export function refusalOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; detail?: unknown; driverError?: unknown } | null;
  const cause = (e?.driverError ?? e) as { code?: unknown; detail?: unknown } | null;
  return cause?.code === RAISED_BY_A_RULE && typeof cause.detail === 'string'
    ? cause.detail
    : undefined;
}
