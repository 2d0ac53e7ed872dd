import { DataSource } from 'typeorm';
import { loadConfig } from '#libs/config';
import { dataSourceOptions } from './data-source-options.js';

/** Entry point of the TypeORM CLI (`make migrate`, `make migrate-revert`). */
export default new DataSource(dataSourceOptions(loadConfig()));
