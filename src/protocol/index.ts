// The capture protocol's public surface (docs/protocol.md).
export * from './constants';
export * from './errors';
export * from './frame';
export * from './messages';
export * from './keys';
export * from './seal';
export * from './spool-record';
export * from './server-session';
export * from './client-session';
