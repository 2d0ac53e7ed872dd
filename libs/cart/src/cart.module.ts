import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InventoryModule } from '#libs/inventory';
import { OrdersModule } from '#libs/orders';
import { PromotionsModule } from '#libs/promotions';
import { Cart, CartLine } from './cart.entity.js';
import { CartPersonalData } from './cart-personal-data.js';
import { CartPricing } from './cart-pricing.js';
import { Carts } from './carts.service.js';
import { Checkout } from './checkout.js';

/** Server-side carts, priced by the one pricing function, checked out through placement. */
@Module({
  imports: [
    InventoryModule,
    OrdersModule,
    PromotionsModule,
    TypeOrmModule.forFeature([Cart, CartLine]),
  ],
  providers: [Carts, CartPricing, Checkout, CartPersonalData],
  exports: [Carts, CartPricing, Checkout, CartPersonalData],
})
export class CartModule {}
