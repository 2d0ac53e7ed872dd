import { DataSource } from 'typeorm';
import { loadConfig } from '#libs/config';
import { dataSourceOptions } from '#libs/database';
import { moneyInvariantViolations } from './money-invariants.js';

// After every medium and e2e suite, next to its stock = ledger checks: per order, what was
// captured, refunded and collected agrees with the payments ledger and the timeline.
afterAll(async () => {
  const dataSource = new DataSource(dataSourceOptions(loadConfig()));
  await dataSource.initialize();
  try {
    expect(await moneyInvariantViolations(dataSource)).toEqual([]);
  } finally {
    await dataSource.destroy();
  }
});
