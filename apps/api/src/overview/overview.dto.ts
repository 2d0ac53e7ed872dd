import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsUUID,
  Validate,
  type ValidatorConstraintInterface,
  ValidatorConstraint,
} from 'class-validator';
import { Optional } from '#libs/platform';

/** A real calendar day (2026-02-30 is refused here, not by PostgreSQL as a 500). */
@ValidatorConstraint({ name: 'calendarDay' })
class CalendarDay implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !/^2\d{3}-\d{2}-\d{2}$/.test(value)) return false;
    const day = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
  }

  defaultMessage(): string {
    return 'date must be a calendar day YYYY-MM-DD (years 2000-2999)';
  }
}

export class OverviewQuery {
  @ApiPropertyOptional({
    example: '2026-12-07',
    description: "A day in each store's own time zone; today there when absent",
  })
  @Optional()
  @Validate(CalendarDay)
  date?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One store only' })
  @Optional()
  @IsUUID()
  storeId?: string;
}

export class StoreHourDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 23 }) hour!: number;
  @ApiProperty({ type: 'integer' }) placed!: number;
  @ApiProperty({ type: 'integer' }) delivered!: number;
  @ApiProperty({ type: 'integer' }) netRevenueMinor!: number;
}

export class StoreDayDto {
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'Asia/Kolkata' }) timezone!: string;
  @ApiProperty({ example: '2026-12-07', description: "The store's local day" }) date!: string;
  @ApiProperty({ type: 'integer', description: 'Orders placed in the day' }) placed!: number;
  @ApiProperty({ type: 'integer', description: 'Of those, delivered so far' }) delivered!: number;
  @ApiProperty({ type: 'integer' }) cancelled!: number;
  @ApiProperty({ type: 'integer', description: 'Neither delivered nor cancelled yet' })
  open!: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Placement to delivery, median' })
  deliverP50Seconds?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Placement to delivery, 90th percentile' })
  deliverP90Seconds?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'What the delivered were promised, median' })
  promisedP50Seconds?: number;
  @ApiProperty({ type: 'integer', description: 'Delivered after their promise' })
  deliveredLate!: number;
  @ApiProperty({ type: 'integer', description: 'Lines found short while packing' })
  shortPicks!: number;
  @ApiProperty({ type: 'integer', description: 'Charged at placement, paise' })
  chargedMinor!: number;
  @ApiProperty({ type: 'integer', description: 'Refunds due: short picks, cancellations' })
  refundedMinor!: number;
  @ApiProperty({ type: 'integer', description: 'Charged minus refunds' }) netRevenueMinor!: number;
  @ApiProperty({ example: 'INR' }) currency!: string;
  @ApiProperty({ type: [StoreHourDto], description: 'By local hour of placement, 0-23' })
  hourly!: StoreHourDto[];
}
