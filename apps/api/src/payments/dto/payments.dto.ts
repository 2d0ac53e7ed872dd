import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { PAYMENT_METHODS } from '#libs/orders';
import { MoneyDto } from '../../catalog/dto/catalog.dto.js';

export class RefundDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: MoneyDto }) amount!: MoneyDto;
  @ApiProperty({
    example: 'order_cancelled',
    description: 'order_cancelled, short_pick or paid_after_cancel',
  })
  reason!: string;
  @ApiProperty({ enum: ['pending', 'succeeded'], description: 'pending: the worker retries it' })
  status!: string;
  @ApiProperty({ type: 'integer', description: 'Calls made to the provider so far' })
  attempts!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Why the last attempt failed' })
  lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CashDto {
  @ApiProperty({ type: MoneyDto, description: 'The order’s total when collected' }) due!: MoneyDto;
  @ApiProperty({ type: MoneyDto }) collected!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'due − collected' }) shortfall!: MoneyDto;
  @ApiProperty({ format: 'uuid' }) riderId!: string;
  @ApiProperty({ format: 'date-time' }) collectedAt!: string;
}

export class LedgerEntryDto {
  @ApiProperty({ enum: ['capture', 'refund', 'cod_collection'] }) kind!: string;
  @ApiProperty({ type: MoneyDto }) amount!: MoneyDto;
  @ApiProperty({ description: 'What the movement is (the provider’s payment, our refund id)' })
  reference!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class PaymentDto {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({ enum: PAYMENT_METHODS }) method!: string;
  @ApiProperty({
    enum: ['not_started', 'pending', 'failed', 'captured', 'cash_due', 'cash_collected'],
    description: 'failed: the last attempt failed; the customer may try again until the timeout',
  })
  status!: string;
  @ApiProperty({ nullable: true, type: String, enum: ['stripe', 'fake', null] })
  provider!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'pi_3Q0aBcDeFgHiJkLm' })
  providerPaymentId!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'For the provider’s checkout (Stripe.js confirmPayment); only to the customer, while unpaid',
  })
  clientSecret!: string | null;
  @ApiProperty({ type: MoneyDto }) amount!: MoneyDto;
  @ApiProperty({ type: MoneyDto }) captured!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'Refunds the provider confirmed' })
  refunded!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'Refunds on their way' }) refundPending!: MoneyDto;
  @ApiProperty({ type: [RefundDto] }) refunds!: RefundDto[];
  @ApiPropertyOptional({ type: CashDto, description: 'Cash on delivery, once collected' })
  cash?: CashDto;
  @ApiPropertyOptional({ type: [LedgerEntryDto], description: 'Admins only' })
  ledger?: LedgerEntryDto[];
}

export class CollectCashDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 100_000_000,
    description: 'What the customer paid at the door, paise',
    example: 24900,
  })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  collectedMinor!: number;
}
