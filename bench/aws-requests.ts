/** Any AWS SDK v3 client: only its middleware stack is used (typed loosely: it is generic per client). */
interface SdkClient {
  middlewareStack: {
    // biome-ignore lint/suspicious/noExplicitAny: the middleware's types differ per client; counting needs none.
    add(middleware: any, options: { step: 'initialize'; name: string }): void;
  };
}

/**
 * Counts the AWS calls the given clients make, by `Service.Operation` (a DocumentClient's `Get` shows as
 * the `GetItem` it sends). Counted at the initialize step, before the SDK's retries: the emulators do not
 * throttle, so calls and billed requests are the same here.
 */
export const countAwsRequests = (clients: Record<string, SdkClient>) => {
  const counts = new Map<string, { calls: number; ms: number }>();
  for (const [service, client] of Object.entries(clients)) {
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
        async (args: unknown) => {
          const name = `${service}.${String(context.commandName).replace(/Command$/, '')}`;
          const started = performance.now();
          try {
            return await next(args);
          } finally {
            const entry = counts.get(name) ?? { calls: 0, ms: 0 };
            entry.calls++;
            entry.ms += performance.now() - started;
            counts.set(name, entry);
          }
        },
      { step: 'initialize', name: 'benchRequestCounter' },
    );
  }
  return {
    /** Calls and their total duration since the last reset, by name, sorted. */
    snapshot: () => [...counts].sort(([a], [b]) => a.localeCompare(b)),
    reset: () => counts.clear(),
  };
};
