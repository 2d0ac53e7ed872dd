import { Module } from '@nestjs/common';
import { CartModule } from '#libs/cart';
import { PromotionsModule } from '#libs/promotions';
import { AdminPromotionsController } from '../promotions/admin-promotions.controller.js';
import { CartController } from './cart.controller.js';

/** The cart and the promotions it is priced with. */
@Module({
  imports: [CartModule, PromotionsModule],
  controllers: [CartController, AdminPromotionsController],
})
export class CartHttpModule {}
