import { type ApiError, createEventStreamClient, type EventStreamClient } from '../../api/client.ts';

/**
 * The typed API client on the console's own origin (the console is served by the same HTTP API, so no
 * CORS), with the session's token. A 401 means the token expired or was revoked: `onUnauthorized` signs out.
 */
export const consoleApiClient = (token: string, onUnauthorized: () => void): EventStreamClient =>
  createEventStreamClient({
    baseUrl: window.location.origin,
    token: () => token,
    middleware: [
      {
        onResponse: ({ response }) => {
          if (response.status === 401) onUnauthorized();
          return response;
        },
      },
    ],
  });

/** What a failed call shows: the API's own error, or one in its shape for a network failure. */
export interface ShownError {
  message: string;
  field?: string;
  errorCode?: string;
  statusCode?: number;
}

/** The API's error body (or API Gateway's `{message}`) as shown to the operator. */
export const toShownError = (error: unknown, status?: number): ShownError => {
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') {
    const body = error as Partial<ApiError> & { status_code?: number; reason?: string };
    const detail = body.status_code ? ` (the receiver answered ${body.status_code})` : '';
    return {
      message: `${body.message}${detail}`,
      ...(body.field && { field: body.field }),
      ...(body.error_code && { errorCode: body.error_code }),
      ...(status !== undefined && { statusCode: status }),
    };
  }
  if (error instanceof Error) return { message: error.message };
  return { message: `The request failed${status ? ` with HTTP ${status}` : ''}.` };
};

/**
 * Runs one API call and turns its outcome into data or a shown error, never a throw: a network failure
 * becomes a message like any other.
 */
export const call = async <T>(
  request: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ data: T; error?: undefined } | { data?: undefined; error: ShownError }> => {
  try {
    const { data, error, response } = await request();
    if (error !== undefined || !response.ok) return { error: toShownError(error, response.status) };
    return { data: data as T };
  } catch (thrown) {
    return { error: toShownError(thrown) };
  }
};
