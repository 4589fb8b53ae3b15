/** What `npm start` takes from its own environment. */
export interface StartSettings {
  /** API port on 127.0.0.1 (`PORT`, default 4000; 0 picks a free one). */
  port: number;
  /** Set over the handlers' environment (the runtime's `env` option). */
  handlerEnv: Record<string, string>;
  /** Whether callbacks may use http and reach loopback and private addresses. */
  insecureCallbacks: boolean;
}

/**
 * Reads `npm start`'s settings from `env`. `ALLOW_INSECURE_CALLBACKS` defaults to true, so local receivers
 * work out of the box; `false` runs the SSRF guard exactly as a deployed stack does. Only these two are
 * read: the handlers still get the rest of their environment from the runtime alone.
 */
export const startSettings = (env: NodeJS.ProcessEnv): StartSettings => {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const insecure = env.ALLOW_INSECURE_CALLBACKS ?? 'true';
  // The handlers' config accepts exactly these two; anything else would only fail later, at the first request.
  if (insecure !== 'true' && insecure !== 'false')
    throw new Error(`ALLOW_INSECURE_CALLBACKS must be true or false, got ${insecure}`);
  return { port, handlerEnv: { ALLOW_INSECURE_CALLBACKS: insecure }, insecureCallbacks: insecure === 'true' };
};
