import {
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  PayloadTooLargeException,
  Post,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/auth.decorators';
import { DorError } from '../common/dor-error';
import type { Caller } from '../common/roles';
import { ImportsService, type ImportView } from './imports.service';

export const UPLOAD_LIMIT = 10 * 1024 * 1024;

interface UploadedCsv {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('api/v1/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @Roles('dealer', 'dealer_staff')
  @HttpCode(202)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'CSV, UTF-8, at most 10 MiB' },
      },
    },
  })
  @ApiAcceptedResponse({ description: '{id}: poll GET /api/v1/imports/:id' })
  @UseInterceptors(
    FileInterceptor('file', { limits: { fileSize: UPLOAD_LIMIT, files: 1, fields: 5 } }),
  )
  async upload(
    @CurrentUser() caller: Caller,
    @UploadedFile() file: UploadedCsv | undefined,
  ): Promise<{ id: string }> {
    if (!file)
      throw DorError.invalid(
        'FILE_REQUIRED',
        'Upload the CSV file in the multipart field "file"',
        'file',
      );
    if (file.size > UPLOAD_LIMIT)
      throw new PayloadTooLargeException('The file is larger than 10 MiB');
    const job = await this.imports.enqueue(caller, file.originalname, file.buffer);
    return { id: job.id };
  }

  @Get(':id')
  @Roles('dealer', 'dealer_staff')
  @ApiOkResponse({
    description:
      '{status: queued|running|done|failed, total, processed, created, errors:[{line, field, message}]}',
  })
  get(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ImportView> {
    return this.imports.get(caller, id);
  }
}
