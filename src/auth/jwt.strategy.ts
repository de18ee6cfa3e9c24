import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { Caller } from '../common/roles';
import { AuthService, type JwtPayload } from './auth.service';

/** Bearer tokens for the API: HS256 only (no `alg: none`), expiry enforced, user re-checked. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      ignoreExpiration: false,
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
    });
  }

  async validate(payload: JwtPayload): Promise<Caller> {
    const caller = typeof payload.sub === 'string' ? await this.auth.callerFor(payload.sub) : null;
    if (!caller) throw new UnauthorizedException('This account is no longer active');
    return caller;
  }
}
