/**
 * The reference server as a library (the package's `./server` export): `createApp` for an Express app over
 * a database, `serve` for what `espo-ref serve` runs, `readConfig` for its settings from the environment.
 */
export { API_BASE, createApp, type App, type AppOptions } from './app.js';
export { serve } from './main.js';
export { ConfigError, readConfig, type ServerConfig } from './config.js';
