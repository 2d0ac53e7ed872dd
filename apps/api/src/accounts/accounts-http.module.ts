import { Module } from '@nestjs/common';
import { AccountsModule } from '#libs/accounts';
import { AddressesController } from './addresses.controller.js';
import { DeliveryAddressChoice } from './delivery-address-choice.js';

/** The customer's account: the address book (and what the cart and orders take from it). */
@Module({
  imports: [AccountsModule],
  controllers: [AddressesController],
  providers: [DeliveryAddressChoice],
  exports: [DeliveryAddressChoice],
})
export class AccountsHttpModule {}
