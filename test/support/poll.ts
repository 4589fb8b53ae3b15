export interface EventuallyOptions {
  /** Give up after this long; default 10 s. */
  timeoutMs?: number;
  /** Pause between attempts; default 100 ms. */
  intervalMs?: number;
}

/**
 * Runs `fn` (typically expect() calls on freshly fetched state) until it stops throwing and returns its
 * result; after `timeoutMs` throws the last error, its message prefixed with how long it tried. For state
 * that changes behind the test's back (queues drained by pollers, rows written by handlers) instead of
 * fixed sleeps.
 */
export const eventually = async <T>(
  fn: () => T | Promise<T>,
  options: EventuallyOptions = {},
): Promise<T> => {
  const { timeoutMs = 10_000, intervalMs = 100 } = options;
  const deadline = Date.now() + timeoutMs;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      return await fn();
    } catch (error) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const message = error instanceof Error ? error.message : String(error);
        const wrapped = new Error(`Still failing after ${timeoutMs} ms (${attempts} attempts): ${message}`, {
          cause: error,
        });
        if (error instanceof Error && error.stack) wrapped.stack = `${wrapped.message}\n${error.stack}`;
        throw wrapped;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, remaining)));
    }
  }
};
