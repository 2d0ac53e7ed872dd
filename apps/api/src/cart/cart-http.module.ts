import { Module } from '@nestjs/common';
import { CartModule } from '#libs/cart';
import { AccountsHttpModule } from '../accounts/accounts-http.module.js';
import { PromotionsModule } from '#libs/promotions';
import { AdminPromotionsController } from '../promotions/admin-promotions.controller.js';
import { CartController } from './cart.controller.js';

/** The cart and the promotions it is priced with. */
@Module({
  imports: [CartModule, PromotionsModule, AccountsHttpModule],
  controllers: [CartController, AdminPromotionsController],
})
export class CartHttpModule {}
