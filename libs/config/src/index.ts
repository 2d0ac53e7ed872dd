export * from './app-config.js';
export * from './config.module.js';
export { applyEnvFiles, ENV_FILES, processEnvironment } from './env-files.js';
export { Environment } from './environment.js';
