import { Module } from '@nestjs/common';
import { InventoryModule } from '#libs/inventory';
import { OrdersModule } from '#libs/orders';
import { AdminCatalogController } from './admin-catalog.controller.js';
import { AdminStockController } from './admin-stock.controller.js';
import { CatalogController } from './catalog.controller.js';

@Module({
  imports: [InventoryModule, OrdersModule],
  controllers: [CatalogController, AdminCatalogController, AdminStockController],
})
export class CatalogHttpModule {}
