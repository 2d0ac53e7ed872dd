import { Module } from '@nestjs/common';
import { CartModule } from '#libs/cart';
import { CartController } from './cart.controller.js';

@Module({ imports: [CartModule], controllers: [CartController] })
export class CartHttpModule {}
