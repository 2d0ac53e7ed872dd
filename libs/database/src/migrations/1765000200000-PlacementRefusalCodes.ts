import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The placement's refusals carry a stable code in DETAIL (SQLSTATE P0001, raise_exception), so
 * that the code recognises them by SQLSTATE and DETAIL (`refusalOf` in libs/database), never by
 * message text: the store's open-orders limit (`store_busy`, named by orders' STORE_LIMIT_RULE)
 * and `refuse_placement(code)` (orders' PLACEMENT_REFUSALS). `down` restores the old functions.
 */
export class PlacementRefusalCodes1765000200000 implements MigrationInterface {
  name = 'PlacementRefusalCodes1765000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      refusePlacement(
        `'placement refused: %', code USING ERRCODE = 'P0001', DETAIL = code`,
        'code',
      ),
    );
    await q.query(
      storeOpenOrdersCount(
        `'store % is at its limit of open orders', NEW.store_id USING ERRCODE = 'P0001', DETAIL = 'store_busy'`,
      ),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(refusePlacement(`'%', reason USING ERRCODE = 'P0001'`, 'reason'));
    await q.query(
      storeOpenOrdersCount(`'store_busy' USING ERRCODE = 'P0001', DETAIL = NEW.store_id::text`),
    );
  }
}

/** The function that fails the placement write (the argument's name is part of its definition). */
function refusePlacement(raise: string, argument: string): string {
  return `
    DROP FUNCTION refuse_placement(text);
    CREATE FUNCTION refuse_placement(${argument} text) RETURNS boolean LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION ${raise};
    END $$`;
}

/** The trigger function of migration 1764150600000, with the given refusal. */
function storeOpenOrdersCount(raise: string): string {
  return `
    CREATE OR REPLACE FUNCTION store_open_orders_count() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      was_open boolean := TG_OP = 'UPDATE' AND OLD.status IN ('PLACED', 'PACKED');
      is_open boolean := NEW.status IN ('PLACED', 'PACKED');
    BEGIN
      IF is_open AND NOT was_open THEN
        INSERT INTO store_open_orders (store_id) VALUES (NEW.store_id) ON CONFLICT DO NOTHING;
        UPDATE store_open_orders c SET open = c.open + 1
          FROM stores s
         WHERE c.store_id = NEW.store_id AND s.id = NEW.store_id AND c.open < s.max_open_orders;
        IF NOT FOUND THEN
          RAISE EXCEPTION ${raise};
        END IF;
      ELSIF was_open AND NOT is_open THEN
        UPDATE store_open_orders SET open = open - 1 WHERE store_id = NEW.store_id;
      END IF;
      RETURN NULL;
    END $$`;
}
