import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  mixin,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Observable } from 'rxjs';
import type { RequestWithCaller } from '../common/auth.decorators';

/** A portal request after an upload: a refused file is noted here instead of ending in an error page. */
export type UploadRequest = RequestWithCaller & { uploadError?: 'too_large' | 'unreadable' };

export interface UploadedPortalFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/**
 * The API's multipart handling of one file in the field "file" up to `limit` bytes; a refused upload
 * (too large, unreadable) becomes `req.uploadError`, so that the page can say so in Dutch on the form.
 */
export function PortalUpload(limit: number): Type<NestInterceptor> {
  class Upload extends FileInterceptor('file', {
    limits: { fileSize: limit, files: 1, fields: 5 },
  }) {
    override async intercept(
      context: ExecutionContext,
      next: CallHandler,
    ): Promise<Observable<unknown>> {
      try {
        return await super.intercept(context, next);
      } catch (e) {
        if (!(e instanceof HttpException) || e.getStatus() >= 500) throw e;
        context.switchToHttp().getRequest<UploadRequest>().uploadError =
          e.getStatus() === 413 ? 'too_large' : 'unreadable';
        return next.handle();
      }
    }
  }
  return mixin(Upload);
}

/** A spreadsheet (xlsx is a zip) or any file with NUL bytes is not the CSV or JSON an import reads. */
export function looksBinary(buffer: Buffer): boolean {
  const head = buffer.subarray(0, 4096);
  return head.subarray(0, 2).toString('latin1') === 'PK' || head.includes(0);
}
