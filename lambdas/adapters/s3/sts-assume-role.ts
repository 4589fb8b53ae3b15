import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AssumeRole } from './assumed-role-credentials.ts';

/** One hour: the longest a role allows by default. */
const SESSION_SECONDS = 3600;

/** AssumeRole through the stack's STS client (its own role is the caller the customer's trust policy names). */
export const stsAssumeRole =
  (sts: STSClient): AssumeRole =>
  async ({ roleArn, externalId, sessionName }) => {
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        ExternalId: externalId,
        RoleSessionName: sessionName,
        DurationSeconds: SESSION_SECONDS,
      }),
    );
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey || !Credentials.Expiration) {
      throw new Error('AssumeRole returned no credentials');
    }
    return {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      ...(Credentials.SessionToken && { sessionToken: Credentials.SessionToken }),
      expiration: Credentials.Expiration,
    };
  };
