import type { Caller } from '../common/roles';
import type { UserView } from './dto/user.dto';
import type { User } from './user.entity';

/** The only ways a user leaves the users module: never with its password hash. */
export function toUserView(u: User): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    dealerId: u.dealerId,
    municipalityCode: u.municipalityCode,
    active: u.active,
  };
}

export function toCaller(u: User): Caller {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    dealerId: u.dealerId,
    municipalityCode: u.municipalityCode,
  };
}
