import { refusalOf } from './rule-refusals.js';

describe('refusalOf', () => {
  const raised = Object.assign(new Error('store s is at its limit'), {
    code: 'P0001',
    detail: 'store_busy',
  });

  it('reads the code a rule raised, from pg or through TypeORM', () => {
    expect(refusalOf(raised)).toBe('store_busy');
    // TypeORM's QueryFailedError carries pg's error as `driverError`.
    expect(refusalOf(Object.assign(new Error('x'), { driverError: raised }))).toBe('store_busy');
  });

  it('never reads it from the message', () => {
    expect(refusalOf(new Error('store_busy'))).toBeUndefined();
    expect(refusalOf(Object.assign(new Error('store_busy'), { code: '23505' }))).toBeUndefined();
    expect(refusalOf(Object.assign(new Error('x'), { code: 'P0001' }))).toBeUndefined();
    expect(refusalOf(null)).toBeUndefined();
  });
});
