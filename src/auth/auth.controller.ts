import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, Public, Roles } from '../common/auth.decorators';
import { ROLES, type Caller } from '../common/roles';
import { AuthService } from './auth.service';
import { LoginDto, LoginResponse, MeView } from './dto/login.dto';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponse })
  @ApiUnauthorizedResponse({
    description: 'Unknown e-mail or wrong password (the same answer for both)',
  })
  @ApiTooManyRequestsResponse({
    description: 'Too many failures for this account or address; see Retry-After',
  })
  login(@Body() dto: LoginDto, @Req() req: Request): Promise<LoginResponse> {
    return this.auth.login(dto.email, dto.password, req.ip ?? 'unknown');
  }

  @Get('me')
  @Roles(...ROLES)
  @ApiBearerAuth()
  @ApiOkResponse({ type: MeView })
  me(@CurrentUser() caller: Caller): MeView {
    return caller;
  }
}
