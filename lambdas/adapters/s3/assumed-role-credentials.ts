import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { DestinationError } from '../../domain/export-file.ts';
import type { Clock } from '../../domain/ports.ts';

/** STS AssumeRole, as a function so the credential cache can be tested without STS. */
export type AssumeRole = (request: {
  roleArn: string;
  externalId: string;
  sessionName: string;
}) => Promise<AwsCredentialIdentity & { expiration: Date }>;

/** Renew this long before the credentials expire, so no request is signed with ones about to lapse. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Credentials of a customer's role, assumed with its external id and kept until shortly before they expire.
 * Concurrent callers share one AssumeRole call; a failure is not cached, so the next upload tries again.
 */
export class AssumedRoleCredentials {
  private current?: Promise<AwsCredentialIdentity & { expiration: Date }>;

  constructor(
    private readonly assumeRole: AssumeRole,
    private readonly clock: Clock,
    private readonly request: { roleArn: string; externalId: string; sessionName: string },
  ) {}

  async get(): Promise<AwsCredentialIdentity> {
    if (this.current) {
      const credentials = await this.current.catch(() => undefined);
      if (credentials && credentials.expiration.getTime() - REFRESH_MARGIN_MS > this.clock.now().getTime()) {
        return credentials;
      }
    }
    const pending = this.assumeRole(this.request).catch((error: unknown) => {
      if (this.current === pending) this.current = undefined;
      const name = error instanceof Error ? ((error as { Code?: string }).Code ?? error.name) : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      throw new DestinationError(name, `AssumeRole ${this.request.roleArn} failed: ${message}`, {
        cause: error,
      });
    });
    this.current = pending;
    return pending;
  }
}
