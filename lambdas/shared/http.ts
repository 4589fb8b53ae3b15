import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  DomainError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors.ts';
import { logger } from './powertools.ts';

/** Largest request body the API accepts (API Gateway allows far more; nothing we take is near it). */
export const MAX_BODY_BYTES = 64 * 1024;

const JSON_HEADERS = { 'content-type': 'application/json' };

/** A JSON response with the given status. */
export const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: JSON_HEADERS,
  body: JSON.stringify(body),
});

/**
 * The request body parsed as JSON: 413 above `limitBytes` (default MAX_BODY_BYTES), 415 for another content type, 400 for
 * malformed JSON. An absent body reads as undefined (the use case then says what it needed).
 */
export const readJsonBody = (event: APIGatewayProxyEventV2, limitBytes = MAX_BODY_BYTES): unknown => {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.byteLength > limitBytes) throw new PayloadTooLargeError(limitBytes);
  const contentType = event.headers?.['content-type'] ?? event.headers?.['Content-Type'];
  if (contentType !== undefined && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim())) {
    throw new UnsupportedMediaTypeError();
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new ValidationError(`Request body is not valid JSON: ${(error as Error).message}`);
  }
};

/**
 * The single place errors become HTTP responses: domain errors with their status and code, anything
 * else a 500 that says nothing about the internals (the details go to the log only).
 */
export const errorResponses = (): MiddlewareObj<
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2
> => ({
  onError: async (request) => {
    const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
    const error = request.error;
    if (error instanceof DomainError) {
      logger.info('Request refused', {
        status: error.statusCode,
        error_code: error.errorCode,
        field: error.field,
      });
      request.response = json(error.statusCode, {
        error_code: error.errorCode,
        message: error.message,
        request_id: requestId,
        ...(error.field !== undefined && { field: error.field }),
        ...error.details(),
      });
      return;
    }
    logger.error('Request failed', error as Error);
    request.response = json(500, {
      error_code: 'internal_error',
      message: 'Internal server error.',
      request_id: requestId,
    });
  },
});
