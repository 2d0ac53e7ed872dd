import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrdersModule } from '#libs/orders';
import { OrderRating } from './order-rating.entity.js';
import { RatingsPersonalData } from './ratings-personal-data.js';
import { Ratings } from './ratings.service.js';

/**
 * Ratings of delivered orders. A lib of its own, not part of accounts: it reads orders (their
 * status, store and rider) and is read by admins (and later the ops console, or dispatch ranking
 * riders), while accounts sits on top of every lib holding personal data (it gathers their
 * exporters and erasers); a lower lib that wants ratings need not import the account machinery.
 */
@Module({
  imports: [OrdersModule, TypeOrmModule.forFeature([OrderRating])],
  providers: [Ratings, RatingsPersonalData],
  exports: [Ratings, RatingsPersonalData],
})
export class RatingsModule {}
