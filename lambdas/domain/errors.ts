/**
 * Errors the domain raises, each carrying the HTTP status and `error_code` the API answers with.
 * The API's error middleware is the one place that turns them into responses; anything else is a 500.
 */
export class DomainError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorCode: string,
    message: string,
    /** The request field at fault, dotted (`callback_parameters.callback_url`), when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** Fields the error response carries beside `error_code`, `message`, `request_id` and `field`. */
  details(): Record<string, string | number> {
    return {};
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, field?: string) {
    super(400, 'validation_error', message, field);
  }
}

export class LimitExceededError extends DomainError {
  constructor(message: string) {
    super(400, 'limit_exceeded', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends DomainError {
  constructor(errorCode: string, message: string) {
    super(409, errorCode, message);
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `Request body exceeds ${limitBytes} bytes.`);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor() {
    super(415, 'unsupported_media_type', 'Request body must be JSON (content-type: application/json).');
  }
}

export class MethodNotAllowedError extends DomainError {
  constructor(method: string, allowed: readonly string[]) {
    super(405, 'method_not_allowed', `Method ${method} is not allowed here. Allowed: ${allowed.join(', ')}.`);
  }
}

/** A send on request that the receiver did not accept (502, as NewStore's API answers a failed retry). */
export class ReceiverError extends DomainError {
  constructor(
    message: string,
    readonly receiverStatus?: number,
    /** What went wrong, short: `HTTP status code 500`, `timeout after 10000 ms`... */
    readonly reason?: string,
  ) {
    super(502, 'receiver_error', message);
  }

  override details(): Record<string, string | number> {
    return {
      ...(this.receiverStatus !== undefined && { status_code: this.receiverStatus }),
      ...(this.reason !== undefined && { reason: this.reason }),
    };
  }
}

/** The customer's bucket refused a write on request (502, with AWS's error code). */
export class DestinationUnreachableError extends DomainError {
  constructor(
    message: string,
    readonly awsErrorCode: string,
  ) {
    super(502, 'destination_error', message);
  }

  override details(): Record<string, string | number> {
    return { aws_error_code: this.awsErrorCode };
  }
}
