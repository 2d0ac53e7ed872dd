import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Product, ProductsModule } from '#libs/products';
import { CatalogService } from './catalog.service.js';
import { StockMovement } from './stock-movement.entity.js';
import { StockService } from './stock.service.js';
import { Store } from './store.entity.js';
import { StoresService } from './stores.service.js';

@Module({
  imports: [ProductsModule, TypeOrmModule.forFeature([Store, StockMovement, Product])],
  providers: [StoresService, StockService, CatalogService],
  exports: [StoresService, StockService, CatalogService, ProductsModule],
})
export class InventoryModule {}
