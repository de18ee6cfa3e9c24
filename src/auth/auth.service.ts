import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Db } from '../database/db.service';
import type { Caller } from '../common/roles';
import { User } from '../users/user.entity';
import { toCaller } from '../users/user.mapper';
import { UsersRepository } from '../users/users.repository';
import { hashPassword, verifyPassword } from './passwords';
import { PortalSession } from './portal-session.entity';
import { RateLimitsRepository, type RateLimit } from './rate-limits.repository';
import { TooManyRequests } from './too-many-requests';

/** Five wrong passwords for one account within 15 minutes lock it for 15 minutes. */
export const ACCOUNT_LOCKOUT: RateLimit = { limit: 5, windowSeconds: 900, blockSeconds: 900 };
/** Thirty failures from one address within 15 minutes block that address for 15 minutes. */
export const ADDRESS_LOCKOUT: RateLimit = { limit: 30, windowSeconds: 900, blockSeconds: 900 };

export interface JwtPayload {
  sub: string;
  role: string;
}

@Injectable()
export class AuthService {
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UsersRepository,
    private readonly jwt: JwtService,
    private readonly limits: RateLimitsRepository,
    @InjectRepository(PortalSession) private readonly sessions: Repository<PortalSession>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
  ) {}

  /** Checks the password with lockout per account and per address; the same 401 for every failure. */
  async verifyCredentials(email: string, password: string, address: string): Promise<User> {
    const normalised = email.trim().toLowerCase();
    const accountKey = `login:account:${normalised}`;
    const addressKey = `login:address:${address}`;
    const wait = Math.max(
      await this.limits.blockedFor(accountKey),
      await this.limits.blockedFor(addressKey),
    );
    if (wait > 0)
      throw new TooManyRequests(wait, 'Too many failed sign-in attempts; try again later');

    const user = await this.users.findByEmail(normalised);
    // Verify against a real hash even for an unknown e-mail: equal timing, equal answer.
    const ok = await verifyPassword(user?.passwordHash ?? (await this.getDummyHash()), password);
    if (!user || !ok || !user.active) {
      const blocked = Math.max(
        await this.limits.hit(accountKey, ACCOUNT_LOCKOUT),
        await this.limits.hit(addressKey, ADDRESS_LOCKOUT),
      );
      if (blocked > 0)
        throw new TooManyRequests(blocked, 'Too many failed sign-in attempts; try again later');
      throw new UnauthorizedException('Invalid e-mail address or password');
    }
    await this.limits.reset(accountKey);
    return user;
  }

  async login(email: string, password: string, address: string) {
    const user = await this.verifyCredentials(email, password, address);
    const payload: JwtPayload = { sub: user.id, role: user.role };
    return {
      accessToken: await this.jwt.signAsync(payload),
      tokenType: 'Bearer' as const,
      expiresIn: this.config.tokenTtlSeconds,
      user: toCaller(user),
    };
  }

  /** The caller behind a token subject, re-read on every request: a disabled user is refused at once. */
  async callerFor(userId: string): Promise<Caller | null> {
    const user = await this.users.findById(userId);
    return user && user.active ? toCaller(user) : null;
  }

  // ── Portal sessions: a random token in an httpOnly cookie, its SHA-256 in the database ──

  async startSession(user: User): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    await this.db.transaction((m) =>
      m.getRepository(PortalSession).insert({
        tokenHash: sha256(token),
        userId: user.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.config.sessionTtlSeconds * 1000),
      }),
    );
    return token;
  }

  async callerForSession(token: string): Promise<Caller | null> {
    const session = await this.sessions.findOneBy({ tokenHash: sha256(token) });
    if (!session || session.expiresAt <= new Date()) return null;
    return this.callerFor(session.userId);
  }

  async endSession(token: string): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.getRepository(PortalSession).delete({ tokenHash: sha256(token) });
      await m.getRepository(PortalSession).delete({ expiresAt: LessThan(new Date()) });
    });
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    return this.dummyHash;
  }
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
