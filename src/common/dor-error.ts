import { HttpStatus } from '@nestjs/common';

/**
 * A domain error with a stable machine-readable code. One exception filter maps it to the API's
 * error shape ({statusCode, message, error, code}) and to the portal's error rendering.
 */
export class DorError extends Error {
  constructor(
    readonly code: string,
    readonly status: HttpStatus,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  static notFound(what: string): DorError {
    return new DorError('NOT_FOUND', HttpStatus.NOT_FOUND, `${what} not found`);
  }
  static forbidden(message: string, code = 'FORBIDDEN'): DorError {
    return new DorError(code, HttpStatus.FORBIDDEN, message);
  }
  static conflict(code: string, message: string, field?: string): DorError {
    return new DorError(code, HttpStatus.CONFLICT, message, field);
  }
  static invalid(code: string, message: string, field?: string): DorError {
    return new DorError(code, HttpStatus.BAD_REQUEST, message, field);
  }
}
