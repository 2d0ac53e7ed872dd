import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '#libs/auth';
import { CartModule } from '#libs/cart';
import { InventoryModule } from '#libs/inventory';
import { NotificationsModule } from '#libs/notifications';
import { OrdersModule } from '#libs/orders';
import { PERSONAL_DATA_HOLDERS, type PersonalDataHolder } from '#libs/platform';
import { RatingsModule } from '#libs/ratings';
import { AddressBookPersonalData } from './addresses/address-book-personal-data.js';
import { AddressBook } from './addresses/address-book.service.js';
import { CustomerAddress } from './addresses/customer-address.entity.js';
import { DataRights } from './data-rights/data-rights.service.js';
import { PERSONAL_DATA_HOLDER_TYPES } from './data-rights/personal-data-holders.js';

/**
 * A customer's account beyond sign-in: the address book, and the data rights (export, erasure)
 * over every lib holding personal data, which is why this lib sits above all of them.
 */
@Module({
  imports: [
    AuthModule,
    InventoryModule,
    OrdersModule,
    NotificationsModule,
    CartModule,
    RatingsModule,
    TypeOrmModule.forFeature([CustomerAddress]),
  ],
  providers: [
    AddressBook,
    AddressBookPersonalData,
    DataRights,
    {
      provide: PERSONAL_DATA_HOLDERS,
      inject: PERSONAL_DATA_HOLDER_TYPES,
      useFactory: (...holders: PersonalDataHolder[]) => holders,
    },
  ],
  exports: [AddressBook, DataRights],
})
export class AccountsModule {}
