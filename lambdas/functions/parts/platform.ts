import { type Clock, systemClock } from '../../domain/ports/platform.ts';
import type { AwsClientOptions } from '../../shared/clients.ts';

/**
 * What a function is composed on: where its AWS clients go (each made on first use, see shared/clients.ts)
 * and its clock. Lambda's is `lambdaPlatform()`; the local runtime gives the emulators' endpoints and a
 * clock tests can move.
 */
export interface Platform {
  aws: AwsClientOptions;
  clock: Clock;
}

/** Lambda's platform: clients by the SDK's standard resolution (the function's region and role). */
export const lambdaPlatform = (): Platform => ({ aws: {}, clock: systemClock });
