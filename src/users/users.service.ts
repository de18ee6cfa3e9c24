import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DorError } from '../common/dor-error';
import { pageOf, type Page } from '../common/pagination';
import type { Caller, Role } from '../common/roles';
import { Dealer } from '../dealers/dealer.entity';
import { Municipality } from '../municipalities/municipality.entity';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords';
import { Db } from '../database/db.service';
import type { CreateUserDto, UpdateUserDto, UserListQuery, UserView } from './dto/user.dto';
import { User } from './user.entity';
import { toUserView } from './user.mapper';
import { UsersRepository, type UserScope } from './users.repository';

/** Which roles each role may create (API.md "Auth and users"). */
const MAY_CREATE: Partial<Record<Role, readonly Role[]>> = {
  admin: ['dealer', 'dealer_staff', 'police', 'boa', 'municipality', 'admin'],
  municipality: ['boa', 'municipality'],
  dealer: ['dealer_staff'],
};

export interface NewUser {
  email: string;
  name: string;
  /** The password, or its argon2id hash when computed earlier (outside a transaction). */
  password?: string;
  passwordHash?: string;
  role: Role;
  dealerId: string | null;
  municipalityCode: string | null;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    @InjectRepository(Dealer) private readonly dealers: Repository<Dealer>,
    @InjectRepository(Municipality) private readonly municipalities: Repository<Municipality>,
    private readonly db: Db,
  ) {}

  /** The users a caller may see and manage. */
  scopeOf(caller: Caller): UserScope {
    switch (caller.role) {
      case 'admin':
        return {};
      case 'municipality':
        return { municipalityCode: caller.municipalityCode ?? '-' };
      case 'dealer':
        return { dealerId: caller.dealerId ?? '-' };
      case 'dealer_staff':
      case 'boa':
      case 'police':
        throw DorError.forbidden('Your role may not manage users');
    }
  }

  async create(caller: Caller, dto: CreateUserDto): Promise<UserView> {
    const allowed = MAY_CREATE[caller.role] ?? [];
    if (!allowed.includes(dto.role)) {
      throw DorError.forbidden(`A ${caller.role} user may not create ${dto.role} users`);
    }
    let dealerId = dto.dealerId ?? null;
    let municipalityCode = dto.municipalityCode ?? null;
    if (caller.role === 'dealer') {
      if (dealerId && dealerId !== caller.dealerId) throw DorError.notFound('Dealer');
      dealerId = caller.dealerId;
    }
    if (caller.role === 'municipality') {
      if (municipalityCode && municipalityCode !== caller.municipalityCode) {
        throw DorError.forbidden('You may only create users of your own municipality');
      }
      municipalityCode = caller.municipalityCode;
    }
    const user = await this.createUser({ ...dto, dealerId, municipalityCode });
    return toUserView(user);
  }

  /** Creates a user after checking the role's affiliation; used by the API, the portal and the demo. */
  async createUser(input: NewUser, m?: EntityManager): Promise<User> {
    // Hash before any database work: argon2 takes ~0.1 s and must not hold a transaction open.
    const passwordHash = input.passwordHash ?? (await hashPassword(input.password ?? ''));
    if (!input.passwordHash && (input.password ?? '').length < MIN_PASSWORD_LENGTH) {
      throw DorError.invalid(
        'PASSWORD_TOO_SHORT',
        `password must be at least ${MIN_PASSWORD_LENGTH} characters`,
        'password',
      );
    }
    return m
      ? this.insertUser(input, passwordHash, m)
      : this.db.transaction((tm) => this.insertUser(input, passwordHash, tm));
  }

  private async insertUser(input: NewUser, passwordHash: string, em: EntityManager): Promise<User> {
    const needsDealer = input.role === 'dealer' || input.role === 'dealer_staff';
    const needsMunicipality = input.role === 'boa' || input.role === 'municipality';
    if (needsDealer !== Boolean(input.dealerId)) {
      throw DorError.invalid(
        'AFFILIATION',
        needsDealer ? 'dealerId is required for this role' : 'dealerId is only for dealer roles',
        'dealerId',
      );
    }
    if (needsMunicipality !== Boolean(input.municipalityCode)) {
      throw DorError.invalid(
        'AFFILIATION',
        needsMunicipality
          ? 'municipalityCode is required for this role'
          : 'municipalityCode is only for boa and municipality roles',
        'municipalityCode',
      );
    }
    if (input.dealerId && !(await em.getRepository(Dealer).existsBy({ id: input.dealerId }))) {
      throw DorError.notFound('Dealer');
    }
    if (
      input.municipalityCode &&
      !(await em.getRepository(Municipality).existsBy({ code: input.municipalityCode }))
    ) {
      throw DorError.notFound('Municipality');
    }
    const email = input.email.trim().toLowerCase();
    if (await this.users.emailTaken(email, em)) {
      throw DorError.conflict(
        'EMAIL_TAKEN',
        'A user with this e-mail address already exists',
        'email',
      );
    }
    const user = new User();
    Object.assign(user, {
      email,
      name: input.name.trim(),
      passwordHash,
      role: input.role,
      dealerId: input.dealerId,
      municipalityCode: input.municipalityCode,
      active: true,
    });
    return this.users.insert(user, em);
  }

  async list(caller: Caller, query: UserListQuery): Promise<Page<UserView>> {
    const [rows, total] = await this.users.findPage(
      this.scopeOf(caller),
      (query.page - 1) * query.pageSize,
      query.pageSize,
    );
    return pageOf(rows.map(toUserView), total, query);
  }

  async update(caller: Caller, id: string, dto: UpdateUserDto): Promise<UserView> {
    const user = await this.findInScope(caller, id);
    if (dto.active === false && user.id === caller.id) {
      throw new DorError(
        'CANNOT_DISABLE_SELF',
        HttpStatus.CONFLICT,
        'You cannot disable your own account',
      );
    }
    if (dto.active !== undefined) user.active = dto.active;
    if (dto.name !== undefined) user.name = dto.name;
    return toUserView(await this.db.transaction((m) => this.users.insert(user, m)));
  }

  private async findInScope(caller: Caller, id: string): Promise<User> {
    const scope = this.scopeOf(caller);
    const user = await this.users.findById(id);
    if (
      !user ||
      (scope.dealerId !== undefined && user.dealerId !== scope.dealerId) ||
      (scope.municipalityCode !== undefined && user.municipalityCode !== scope.municipalityCode)
    ) {
      throw DorError.notFound('User');
    }
    // A dealer manages its staff accounts (and its own), not another owner account of the business.
    if (caller.role === 'dealer' && user.role !== 'dealer_staff' && user.id !== caller.id) {
      throw DorError.forbidden('A dealer manages only its staff accounts');
    }
    return user;
  }
}
