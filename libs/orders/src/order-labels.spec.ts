import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { STOCK_REASONS } from '#libs/inventory';
import {
  describeEvent,
  ORDER_EVENT_TYPES,
  ORDER_LABELS,
  ORDER_REASONS,
  type OrderEventType,
} from './order-labels.js';
import { STORE_CANCEL_REASONS } from './cancel-reasons.js';
import { ORDER_STATUSES } from './order-state-machine.js';

/** The source of the apps (pages' scripts included) and libs, as written. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js)$/.test(path) && !path.endsWith('.spec.ts') ? [path] : [];
  });
}
const files = ['apps', 'libs']
  .flatMap((dir) => sources(join(process.cwd(), dir)))
  .map((path) => ({ path: relative(process.cwd(), path), text: readFileSync(path, 'utf8') }));

/** `order.*` names that are not order event types: a socket message, a log line's event. */
const NOT_EVENT_TYPES = new Set(['order.event', 'order.transition']);

function found(pattern: RegExp, skip: Set<string>): Map<string, string> {
  const where = new Map<string, string>();
  for (const { path, text } of files)
    for (const [, name] of text.matchAll(pattern))
      if (!skip.has(name!) && !where.has(name!)) where.set(name!, path);
  return where;
}

/** Readable: no code (snake_case, `order.x`, upper-case status) and no ISO timestamp in it. */
const readable = (text: string) =>
  text.length > 0 &&
  !/[a-z]_[a-z]|order\.[a-z]|\b[A-Z]+_[A-Z]+\b|\d{4}-\d\d-\d\dT/.test(text.replace(/“.*”/, ''));

describe('order labels', () => {
  it('labels every status, in words', () => {
    for (const status of ORDER_STATUSES) {
      expect([status, readable(ORDER_LABELS.statuses[status])]).toEqual([status, true]);
      expect([status, readable(ORDER_LABELS.statusNames[status])]).toEqual([status, true]);
    }
  });

  it('labels every event type the code writes (found in the source)', () => {
    const written = found(/['"`]((?:order|payment)\.[a-z_]+)['"`]/g, NOT_EVENT_TYPES);
    // Transitions write `order.<status>`.
    for (const status of ORDER_STATUSES) written.set(`order.${status.toLowerCase()}`, 'statuses');
    expect(written.size).toBeGreaterThanOrEqual(9); // the scan itself works
    const unlabelled = [...written].filter(([type]) => !(type in ORDER_LABELS.events));
    expect(unlabelled).toEqual([]); // [type, file]: add it to ORDER_EVENT_TYPES and its label
    expect([...ORDER_EVENT_TYPES].sort()).toEqual([...written.keys()].sort());
    for (const type of ORDER_EVENT_TYPES)
      expect([type, readable(ORDER_LABELS.events[type])]).toEqual([type, true]);
  });

  it('labels every reason code the code writes on an order event (found in the source)', () => {
    // `reason: 'code'` (or a conditional of codes); stock movements have reasons of their own.
    const written = found(
      /\breason: [^\n]*?'([a-z][a-z0-9]*_[a-z0-9_]+)'/g,
      new Set(STOCK_REASONS),
    );
    expect(written.has('cancelled_by_store')).toBe(true); // the board's, in a page script
    const unlabelled = [...written].filter(([reason]) => !(reason in ORDER_LABELS.reasons));
    expect(unlabelled).toEqual([]); // [reason, file]: add it to ORDER_REASONS and its label
    for (const reason of ORDER_REASONS)
      expect([reason, readable(ORDER_LABELS.reasons[reason])]).toEqual([reason, true]);
  });

  it("gives each of the store's cancel reasons a sentence for the customer and a label for staff", () => {
    for (const reason of STORE_CANCEL_REASONS) {
      expect([reason, readable(ORDER_LABELS.reasons[reason])]).toEqual([reason, true]);
      expect([reason, readable(ORDER_LABELS.storeCancelReasons[reason])]).toEqual([reason, true]);
    }
    expect(Object.keys(ORDER_LABELS.storeCancelReasons)).toEqual([...STORE_CANCEL_REASONS]);
    for (const [type, label] of Object.entries(ORDER_LABELS.staffEvents))
      expect([type, readable(label)]).toEqual([type, true]);
  });

  describe('describeEvent', () => {
    const roles = ['customer', 'admin', 'rider', 'system'];
    const reasons = [null, '', ...ORDER_REASONS, 'some_future_code', 'Store closed', 'constructor'];

    it('never shows a code, whatever the type, reason and actor', () => {
      for (const type of [...ORDER_EVENT_TYPES, 'order.some_future_event'])
        for (const reason of reasons)
          for (const role of roles) {
            const { title, detail } = describeEvent({ type, reason, actor: { role } });
            expect([type, reason, role, readable(title)]).toEqual([type, reason, role, true]);
            if (detail !== null)
              expect([type, reason, role, readable(detail)]).toEqual([type, reason, role, true]);
          }
    });

    it('says who cancelled, and the words they gave', () => {
      const cancelled = (reason: string | null, role: string) =>
        describeEvent({
          type: 'order.cancelled' satisfies OrderEventType,
          reason,
          actor: { role },
        });
      expect(cancelled('cancelled_by_store', 'admin')).toEqual({
        title: 'Order cancelled',
        detail: 'Your order was cancelled by the store',
      });
      expect(cancelled(null, 'customer').detail).toBe('You cancelled the order');
      expect(cancelled('changed my mind', 'customer').detail).toBe(
        'You cancelled the order: “changed my mind”',
      );
      expect(cancelled('auto_cancel_timeout', 'system').detail).toBe(
        'The store could not take your order in time',
      );
      expect(cancelled('some_future_code', 'system').detail).toBe('Your order was cancelled');
    });

    it('describes a rider offer and a short pick in words', () => {
      const system = { role: 'system' };
      expect(describeEvent({ type: 'order.rider_offered', reason: null, actor: system })).toEqual({
        title: 'Looking for a rider',
        detail: null,
      });
      expect(
        describeEvent({ type: 'order.short_picked', reason: 'out_of_stock', actor: system }),
      ).toEqual({
        title: 'An item was not available',
        detail: 'None of your items were available',
      });
      expect(
        describeEvent({ type: 'order.out_for_delivery', reason: 'demo_simulation', actor: system })
          .detail,
      ).toBe('Moved on by the demo simulation');
    });
  });
});
