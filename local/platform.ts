import type { Platform } from '../lambdas/functions/parts/platform.ts';
import { type EmulatorEndpoints, LOCAL_REGION } from './emulators/index.ts';

/**
 * The functions' platform in the local runtime: clients on the emulators (or on the endpoints the settings
 * name, such as a test's S3 proxy or STS stub), and a clock tests can move with CLOCK_OFFSET_MS (read on every
 * call, so a test moves time while the runtime runs) for the 30-day rules.
 */
export const localPlatform = (endpoints: EmulatorEndpoints, env: Record<string, string>): Platform => ({
  aws: {
    region: env.AWS_REGION ?? LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoints: {
      dynamodb: env.AWS_ENDPOINT_URL_DYNAMODB ?? endpoints.dynamodb,
      sqs: env.AWS_ENDPOINT_URL_SQS ?? endpoints.sqs,
      s3: env.AWS_ENDPOINT_URL_S3 ?? endpoints.s3,
      secretsmanager: env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? endpoints.secretsmanager,
      ...(env.AWS_ENDPOINT_URL_STS && { sts: env.AWS_ENDPOINT_URL_STS }),
    },
    s3ForcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
  },
  clock: {
    now: () => {
      const offset = Number(process.env.CLOCK_OFFSET_MS ?? env.CLOCK_OFFSET_MS ?? 0);
      return offset ? new Date(Date.now() + offset) : new Date();
    },
  },
});
