import type { Integration } from '../../api/client.ts';

/** How an integration's destination reads in a table: the webhook URL or the S3 location. */
export const destinationText = (integration: Integration): string => {
  if (integration.s3_parameters) {
    const { bucket, key_prefix } = integration.s3_parameters;
    return `S3 s3://${bucket}/${key_prefix}`;
  }
  return `Webhook ${integration.callback_parameters?.callback_url ?? ''}`;
};
