// The trail coverage stage: collect an org snapshot, load/save it, evaluate it.
export * from './snapshot.js';
export * from './collect.js';
export * from './evaluate.js';
export * from './audit.js';
