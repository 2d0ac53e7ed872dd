import type { MigrationInterface } from 'typeorm';
import { CreateAuthTables1764150000000 } from './1764150000000-CreateAuthTables.js';
import { CreateCatalogAndInventory1764150100000 } from './1764150100000-CreateCatalogAndInventory.js';
import { CreateOrders1764150200000 } from './1764150200000-CreateOrders.js';
import { CreateNotifications1764150300000 } from './1764150300000-CreateNotifications.js';
import { OutboxConsumerCursors1764150400000 } from './1764150400000-OutboxConsumerCursors.js';
import { DispatchCapacityShortPicks1764150500000 } from './1764150500000-DispatchCapacityShortPicks.js';
import { StoreOpenOrders1764150600000 } from './1764150600000-StoreOpenOrders.js';
import { RefusePlacement1764150700000 } from './1764150700000-RefusePlacement.js';
import { NormaliseUserEmails1765000100000 } from './1765000100000-NormaliseUserEmails.js';
import { PlacementRefusalCodes1765000200000 } from './1765000200000-PlacementRefusalCodes.js';
import { CreatePromotions1765000500000 } from './1765000500000-CreatePromotions.js';
import { CartsAndPricing1765000600000 } from './1765000600000-CartsAndPricing.js';
import { Payments1765000800000 } from './1765000800000-Payments.js';
import { CreateCustomerAddresses1765000900000 } from './1765000900000-CreateCustomerAddresses.js';
import { CreateOrderRatings1765000910000 } from './1765000910000-CreateOrderRatings.js';
import { AccountErasure1765000920000 } from './1765000920000-AccountErasure.js';
import { AccountEmails1765001000000 } from './1765001000000-AccountEmails.js';
import { OrderStaffNotes1765001100000 } from './1765001100000-OrderStaffNotes.js';
import { StoreClosedNowAndOverview1765001150000 } from './1765001150000-StoreClosedNowAndOverview.js';
import { PromotionCountedUses1765001200000 } from './1765001200000-PromotionCountedUses.js';
import { CustomerOpenOrdersIndex1765001300000 } from './1765001300000-CustomerOpenOrdersIndex.js';
import { RiderLoadIndex1765001400000 } from './1765001400000-RiderLoadIndex.js';

/** Every migration, in order. Listed explicitly so the CLI, the apps and tests all run the same set. */
export const migrations: (new () => MigrationInterface)[] = [
  CreateAuthTables1764150000000,
  CreateCatalogAndInventory1764150100000,
  CreateOrders1764150200000,
  CreateNotifications1764150300000,
  OutboxConsumerCursors1764150400000,
  DispatchCapacityShortPicks1764150500000,
  StoreOpenOrders1764150600000,
  RefusePlacement1764150700000,
  NormaliseUserEmails1765000100000,
  PlacementRefusalCodes1765000200000,
  CreatePromotions1765000500000,
  CartsAndPricing1765000600000,
  Payments1765000800000,
  CreateCustomerAddresses1765000900000,
  CreateOrderRatings1765000910000,
  AccountErasure1765000920000,
  AccountEmails1765001000000,
  OrderStaffNotes1765001100000,
  StoreClosedNowAndOverview1765001150000,
  PromotionCountedUses1765001200000,
  CustomerOpenOrdersIndex1765001300000,
  RiderLoadIndex1765001400000,
];
