import { HttpException, HttpStatus } from '@nestjs/common';

/** 429 with the seconds to wait; the exception filter turns `retryAfter` into a Retry-After header. */
export class TooManyRequests extends HttpException {
  constructor(retryAfter: number, message = 'Too many attempts; try again later') {
    super(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        message,
        error: 'Too Many Requests',
        code: 'RATE_LIMITED',
        retryAfter,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
