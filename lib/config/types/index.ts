// The config as a user writes it: named, documented interfaces, one per section (lib/config/schema.ts validates them).
export type * from './gateway';
export type * from './service';
export type * from './auth';
export type * from './edge';
export type * from './aggregate';
export type * from './throttle';
export type * from './observability';
