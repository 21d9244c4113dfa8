// The rate-limit runtime's public API; this file only re-exports.
export * from './client-key';
export * from '../../contract/rate-limit-config';
export * from './counter-store';
export * from './counter-store-dynamodb';
export * from './headers';
export * from './local-limiter';
export * from '../../contract/rate-limit-metrics';
export * from './observability';
export * from './rate-limiter';
export * from './sliding-window';
