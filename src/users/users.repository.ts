import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { User } from './user.entity';

export interface UserScope {
  dealerId?: string;
  municipalityCode?: string;
}

@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: email.trim().toLowerCase() });
  }

  async emailTaken(email: string, m?: EntityManager): Promise<boolean> {
    const repo = m ? m.getRepository(User) : this.users;
    return (await repo.countBy({ email: email.trim().toLowerCase() })) > 0;
  }

  /** Inserts or updates; always inside a transaction of `Db`. */
  insert(user: User, m: EntityManager): Promise<User> {
    return m.getRepository(User).save(user);
  }

  async countAdmins(): Promise<number> {
    return this.users.countBy({ role: 'admin' });
  }

  findPage(scope: UserScope, skip: number, take: number): Promise<[User[], number]> {
    return this.users.findAndCount({
      where: { ...scope },
      order: { name: 'ASC', email: 'ASC' },
      skip,
      take,
    });
  }
}
