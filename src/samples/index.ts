// The sample organization and benchmark data generators.
export * from './random.js';
export * from './cloudtrail.js';
export * from './event-shapes.js';
export * from './org.js';
export * from './noise.js';
export * from './story.js';
export * from './incident.js';
export * from './routine.js';
export * from './bystanders.js';
export * from './generate.js';
