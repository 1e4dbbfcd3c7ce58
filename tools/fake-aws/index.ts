// The fake AWS endpoint used by the integration tests and the fan-out bench.
export * from './model.js';
export * from './server.js';
export * from './athena.js';
export * from './glue.js';
export * from './s3.js';
