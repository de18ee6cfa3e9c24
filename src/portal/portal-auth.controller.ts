import { Body, Controller, Get, HttpException, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthService } from '../auth/auth.service';
import { SESSION_COOKIE, sessionCookieOptions } from '../auth/session-cookie';
import { Public, type RequestWithCaller } from '../common/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { page, startPageOf } from './page';

interface LoginForm {
  email?: string;
  password?: string;
}

/** Sign-in and sign-out for the portal: an httpOnly SameSite session cookie. */
@ApiExcludeController()
@Controller()
export class PortalAuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  home(@Req() req: RequestWithCaller, @Res() res: Response): void {
    if (req.user) return res.redirect(303, startPageOf(req.user));
    res.render('login', page(req, 'Inloggen'));
  }

  @Get('inloggen')
  @Public()
  loginPage(@Req() req: RequestWithCaller, @Res() res: Response): void {
    if (req.user) return res.redirect(303, startPageOf(req.user));
    res.render('login', page(req, 'Inloggen'));
  }

  @Post('inloggen')
  @Public()
  async login(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @Body() body: LoginForm,
  ): Promise<void> {
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    try {
      const user = await this.auth.verifyCredentials(email, password, req.ip ?? 'unknown');
      if (req.sessionId) await this.auth.endSession(req.sessionId);
      const token = await this.auth.startSession(user);
      res.cookie(
        SESSION_COOKIE,
        token,
        sessionCookieOptions(this.config.production, this.config.sessionTtlSeconds),
      );
      res.redirect(303, startPageOf({ ...user }));
    } catch (e) {
      if (!(e instanceof HttpException) || ![401, 429].includes(e.getStatus())) throw e;
      const locked = e.getStatus() === 429;
      res.status(e.getStatus()).render(
        'login',
        page(req, 'Inloggen', {
          email,
          loginError: locked
            ? 'Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.'
            : 'Dit e-mailadres en wachtwoord horen niet bij elkaar, of het account is uitgeschakeld.',
        }),
      );
    }
  }

  @Post('uitloggen')
  @Public()
  async logout(@Req() req: RequestWithCaller, @Res() res: Response): Promise<void> {
    if (req.sessionId) await this.auth.endSession(req.sessionId);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/inloggen');
  }
}
