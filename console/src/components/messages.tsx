import type { ShownError } from '../api.ts';

/** A failed call's message, announced to screen readers as it appears. */
export const ErrorMessage = ({ error }: { error: ShownError | undefined }) =>
  error ? (
    <p class="error" role="alert">
      {error.message}
      {error.errorCode && <span class="code"> ({error.errorCode})</span>}
    </p>
  ) : null;

/** A short confirmation of what an action did, announced politely. */
export const Notice = ({ text }: { text: string | undefined }) => (
  <p class="notice" role="status">
    {text ?? ''}
  </p>
);

/** Why actions are missing, for a token without the write scope. */
export const ReadOnlyNote = () => (
  <p class="note">
    Read-only: your token has no <code>eventstream/write</code> scope, so the console shows everything and
    changes nothing.
  </p>
);

/** An ISO time as a short local date and time, with the exact value on hover. */
export const Time = ({ value }: { value: string | undefined }) =>
  value ? (
    <time dateTime={value} title={value}>
      {new Date(value).toLocaleString()}
    </time>
  ) : (
    <span>-</span>
  );

/** A JSON value, pretty-printed and wrapped (not a scrolling box, which keyboards could not scroll). */
export const JsonView = ({ value }: { value: unknown }) => (
  <pre class="json">{JSON.stringify(value, null, 2)}</pre>
);
