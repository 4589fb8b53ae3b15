import type { Integration } from '../../api/client.ts';

type CallbackView = NonNullable<Integration['callback_parameters']>;
type RateLimitState = NonNullable<Integration['rate_limit_state']>;

/** How an integration's destination reads in a table: the webhook URL or the S3 location. */
export const destinationText = (integration: Integration): string => {
  if (integration.s3_parameters) {
    const { bucket, key_prefix } = integration.s3_parameters;
    return `S3 s3://${bucket}/${key_prefix}`;
  }
  return `Webhook ${integration.callback_parameters?.callback_url ?? ''}`;
};

/** A webhook's `ordering` as the form's Ordering select names it (absent: none). */
export const orderingText = (callback: CallbackView): string =>
  callback.ordering === 'entity' ? 'Per entity' : 'None';

const joined = (parts: (string | false)[], none: string): string => parts.filter(Boolean).join(', ') || none;

/** `5 requests per second, 2 in flight`; `None` without a limit. */
export const rateLimitText = ({ rate_limit: limit }: CallbackView): string =>
  joined(
    [
      limit?.per_second !== undefined && `${limit.per_second} requests per second`,
      limit?.max_in_flight !== undefined && `${limit.max_in_flight} in flight`,
    ],
    'None',
  );

/** Where a rate-limited integration stands now (`rate_limit_state`); its pause is shown apart, as a time. */
export const currentRateText = (state: RateLimitState): string =>
  joined(
    [
      state.current_per_second !== undefined && `${state.current_per_second} requests per second`,
      state.in_flight !== undefined && `${state.in_flight} in flight`,
    ],
    '-',
  );
