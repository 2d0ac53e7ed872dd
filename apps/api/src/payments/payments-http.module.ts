import { Module } from '@nestjs/common';
import { PaymentsModule } from '#libs/payments';
import {
  AdminPaymentsController,
  PaymentsController,
  RiderCashController,
} from './payments.controller.js';

/** Payments over HTTP; the provider's webhook is a raw route (payment-webhook-route.ts). */
@Module({
  imports: [PaymentsModule],
  controllers: [PaymentsController, AdminPaymentsController, RiderCashController],
})
export class PaymentsHttpModule {}
