// The sample organization and benchmark data generators.
export * from './random.js';
export * from './cloudtrail.js';
export * from './org.js';
export * from './noise.js';
export * from './incident.js';
export * from './generate.js';
