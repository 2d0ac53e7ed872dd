import type { WorkerOptions } from 'bullmq';
import { loadConfig } from '#libs/config';

/** Queue names: the only place they are spelled. */
export const QUEUES = {
  orders: 'orders',
  notifications: 'notifications',
  delivery: 'delivery',
  simulation: 'simulation',
  maintenance: 'maintenance',
  dispatch: 'dispatch',
  email: 'email',
  payments: 'payments',
} as const;

/** Job names and their payloads, per queue. */
export const JOBS = {
  autoCancel: 'auto-cancel',
  sweep: 'sweep',
  orderStatus: 'order-status',
  slaCheck: 'sla-check',
  slaAlert: 'sla-alert',
  simulate: 'simulate',
  purge: 'purge',
  offerTimeout: 'offer-timeout',
  dispatchSweep: 'dispatch-sweep',
  orderNote: 'order-note',
  sendEmail: 'send-email',
  accountEmail: 'account-email',
  emailSweep: 'email-sweep',
  paymentTimeout: 'payment-timeout',
  refund: 'refund',
  refundClaim: 'refund-claim',
  paymentSweep: 'payment-sweep',
} as const;

/** An online order still unpaid at its `payBy`: cancelled (if still AWAITING_PAYMENT). */
export interface PaymentTimeoutJob {
  orderId: string;
}
/**
 * An order event that may owe a refund (a cancel, a short pick): the worker claims it if the
 * order was paid online (libs/payments RefundRequests; idempotent by the refund's key).
 */
export interface RefundClaimJob {
  orderId: string;
  seq: number;
  type: 'order.cancelled' | 'order.short_picked';
  refundMinor?: number;
}
/** Send one refund to the provider now (the payment sweeper retries it when due). */
export interface RefundJob {
  refundId: string;
}

export interface AutoCancelJob {
  orderId: string;
}
export interface OrderStatusJob {
  orderId: string;
  seq: number;
}
/** An order event without a status change that someone is told about (short pick, rider offer). */
export interface OrderNoteJob {
  orderId: string;
  seq: number;
}

/** Send one recorded email (`email_deliveries`); `generation` changes when ops retry a dead one. */
export interface SendEmailJob {
  deliveryId: string;
  generation: number;
}

/**
 * Someone asked for a reset or verification link for an email address. The api enqueues the same
 * job whether or not the address has an account (same work, same timing); the worker looks.
 */
export interface AccountEmailJob {
  kind: 'password_reset' | 'email_verification';
  email: string;
  /** One per request: the delivery's dedupe key. */
  requestId: string;
}

/** At an offer's `expiresAt`: expire it if still unanswered and offer the order to the next rider. */
export interface OfferTimeoutJob {
  offerId: string;
}

export interface SlaCheckJob {
  orderId: string;
}
export interface SlaAlertJob {
  orderId: string;
}
export interface SimulateJob {
  orderId: string;
  step: number;
  /** While out for delivery: how many legs of the path the rider has covered. */
  leg?: number;
}

/**
 * Worker options for @Processor(). Decorators are evaluated at import, before the DI container
 * exists, so this reads the validated configuration directly (still through libs/config).
 */
export function workerOptions(): Pick<
  WorkerOptions,
  'concurrency' | 'lockDuration' | 'stalledInterval' | 'maxStalledCount'
> {
  const { jobs } = loadConfig();
  return {
    concurrency: jobs.concurrency,
    lockDuration: jobs.lockMs,
    stalledInterval: jobs.lockMs,
    maxStalledCount: 3,
  };
}
