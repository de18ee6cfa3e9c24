import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth.decorators';
import { Db } from '../database/db.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly db: Db) {}

  @Get()
  @Public()
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  async health(): Promise<{ status: 'ok' }> {
    try {
      // A read connection: the health check does not wait behind a long write.
      await this.db.manager.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException('The database does not answer');
    }
    return { status: 'ok' };
  }
}
