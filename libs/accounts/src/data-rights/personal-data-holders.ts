import type { Type } from '@nestjs/common';
import { AuthPersonalData } from '#libs/auth';
import { CartPersonalData } from '#libs/cart';
import { NotificationsPersonalData } from '#libs/notifications';
import { OrdersPersonalData } from '#libs/orders';
import type { PersonalDataHolder } from '#libs/platform';
import { RatingsPersonalData } from '#libs/ratings';
import { AddressBookPersonalData } from '../addresses/address-book-personal-data.js';

/**
 * Every lib holding personal data, listed once (docs/accounts.md). A new one implements
 * `PersonalDataHolder` (libs/platform), provides and exports the class from its module, and is
 * added here (and its module to AccountsModule's imports).
 *
 * The order is the erasure's lock order: orders first (placement's customer lock, then the
 * order rows, as every change to an order locks its row first), then the users row (auth), then
 * the rest. The users row before notifications: a notification written meanwhile holds a share
 * lock on it (`userNotErasedSql`), so it has committed (and is deleted below) or sees the erasure.
 */
export const PERSONAL_DATA_HOLDER_TYPES: Type<PersonalDataHolder>[] = [
  OrdersPersonalData,
  AuthPersonalData,
  NotificationsPersonalData,
  CartPersonalData,
  RatingsPersonalData,
  AddressBookPersonalData,
];
