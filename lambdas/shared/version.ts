import pkg from '../../package.json' with { type: 'json' };

/** Sent with every delivery so receivers can tell (and allow-list) the product and its version. */
export const USER_AGENT = `event-stream/${pkg.version}`;
