import { Module } from '@nestjs/common';
import { RatingsModule } from '#libs/ratings';
import { AdminRatingsController, OrderRatingController } from './ratings.controller.js';

/** Ratings of delivered orders, and their averages for admins. */
@Module({
  imports: [RatingsModule],
  controllers: [OrderRatingController, AdminRatingsController],
})
export class RatingsHttpModule {}
