import { API_ENTRY, createApi } from '../../functions/api.ts';
import { lambdaPlatform } from '../../functions/parts/platform.ts';
import { parseConfig } from '../../shared/config.ts';

/** Lambda entry of the REST API. */
export const handler = createApi(parseConfig(API_ENTRY, process.env), lambdaPlatform());
