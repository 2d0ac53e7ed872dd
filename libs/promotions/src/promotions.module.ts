import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PromotionRecord } from './promotion.entity.js';
import { Promotions } from './promotions.service.js';

/** Promotions and their uses (docs/api.md "Promotions"). */
@Module({
  imports: [TypeOrmModule.forFeature([PromotionRecord])],
  providers: [Promotions],
  exports: [Promotions],
})
export class PromotionsModule {}
