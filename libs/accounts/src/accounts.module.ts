import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InventoryModule } from '#libs/inventory';
import { AddressBook } from './addresses/address-book.service.js';
import { CustomerAddress } from './addresses/customer-address.entity.js';

/** A customer's account beyond sign-in: the address book. */
@Module({
  imports: [InventoryModule, TypeOrmModule.forFeature([CustomerAddress])],
  providers: [AddressBook],
  exports: [AddressBook],
})
export class AccountsModule {}
