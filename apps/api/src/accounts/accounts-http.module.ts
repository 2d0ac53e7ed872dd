import { Module } from '@nestjs/common';
import { AccountsModule } from '#libs/accounts';
import { AccountController, AdminAccountErasureController } from './account.controller.js';
import { AddressesController } from './addresses.controller.js';
import { DeliveryAddressChoice } from './delivery-address-choice.js';

/** The customer's account: the address book (and what the cart and orders take from it), data rights. */
@Module({
  imports: [AccountsModule],
  controllers: [AddressesController, AccountController, AdminAccountErasureController],
  providers: [DeliveryAddressChoice],
  exports: [DeliveryAddressChoice],
})
export class AccountsHttpModule {}
