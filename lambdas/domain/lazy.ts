/**
 * A value made on first use, then kept: `lazy(() => z.object(...))` builds a schema only in the functions
 * that parse with it, when they first do, instead of in every cold start that imports its module. Marked
 * with esbuild's `@__PURE__` annotation where it is called, one that a function never uses is also left out
 * of its bundle (esbuild keeps every other top-level call: it cannot tell that building a schema has no
 * side effects).
 */
export const lazy = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
};
