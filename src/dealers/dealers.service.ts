import { HttpStatus, Injectable } from '@nestjs/common';
import { hashPassword } from '../auth/passwords';
import { DorError } from '../common/dor-error';
import { Db } from '../database/db.service';
import { pageOf, type Page } from '../common/pagination';
import type { Caller } from '../common/roles';
import { Municipality } from '../municipalities/municipality.entity';
import { UsersService } from '../users/users.service';
import { dealerScopeOf, inDealerScope } from './dealer-scope';
import { canTransition } from './dealer-status';
import { DealerStatusChange } from './dealer-status-change.entity';
import { Dealer } from './dealer.entity';
import { DealersRepository, lockDealerRow } from './dealers.repository';
import type {
  ApplicationResponse,
  ChangeStatusDto,
  DealerApplicationDto,
  DealerDetailView,
  DealerListQuery,
  DealerView,
} from './dto/dealer.dto';

export function toDealerView(d: Dealer): DealerView {
  return {
    id: d.id,
    companyName: d.companyName,
    kvkNumber: d.kvkNumber,
    address: {
      street: d.street,
      houseNumber: d.houseNumber,
      postalCode: d.postalCode,
      city: d.city,
    },
    municipalityCode: d.municipalityCode,
    categories: d.categories,
    status: d.status,
    createdAt: d.createdAt.toISOString(),
  };
}

@Injectable()
export class DealersService {
  constructor(
    private readonly dealers: DealersRepository,
    private readonly users: UsersService,
    private readonly db: Db,
  ) {}

  /** R1: a business applies; the dealer starts `pending` and its contact becomes its first `dealer` user. */
  async apply(dto: DealerApplicationDto): Promise<ApplicationResponse> {
    const contactHash = await hashPassword(dto.contact.password);
    return this.db.transaction(async (m) => {
      if (!(await m.getRepository(Municipality).existsBy({ code: dto.municipalityCode }))) {
        throw DorError.invalid(
          'UNKNOWN_MUNICIPALITY',
          `Municipality ${dto.municipalityCode} does not take part in DOR`,
          'municipalityCode',
        );
      }
      if (await this.dealers.kvkTaken(dto.kvkNumber, m)) {
        throw DorError.conflict(
          'KVK_TAKEN',
          'A dealer with this KvK number is already registered',
          'kvkNumber',
        );
      }
      const dealer = m.getRepository(Dealer).create({
        companyName: dto.companyName,
        kvkNumber: dto.kvkNumber,
        street: dto.address.street,
        houseNumber: dto.address.houseNumber,
        postalCode: dto.address.postalCode,
        city: dto.address.city,
        municipalityCode: dto.municipalityCode,
        categories: dto.categories,
        status: 'pending',
      });
      await m.getRepository(Dealer).save(dealer);
      await m.getRepository(DealerStatusChange).save(
        m.getRepository(DealerStatusChange).create({
          dealerId: dealer.id,
          fromStatus: null,
          toStatus: 'pending',
          reason: 'Aanmelding ontvangen',
          changedByUserId: null,
          changedByName: dto.contact.name,
          changedAt: new Date(),
        }),
      );
      await this.users.createUser(
        {
          name: dto.contact.name,
          email: dto.contact.email,
          passwordHash: contactHash,
          role: 'dealer',
          dealerId: dealer.id,
          municipalityCode: null,
        },
        m,
      );
      return { dealerId: dealer.id, status: 'pending' as const };
    });
  }

  async list(caller: Caller, query: DealerListQuery): Promise<Page<DealerView>> {
    const [rows, total] = await this.dealers.findPage(
      dealerScopeOf(caller),
      {
        status: query.status,
        municipalityCode: query.municipalityCode,
        q: query.q?.trim() || undefined,
      },
      (query.page - 1) * query.pageSize,
      query.pageSize,
    );
    return pageOf(rows.map(toDealerView), total, query);
  }

  /** The dealer if the caller may know it exists; otherwise 404 (never 403: existence is itself a leak). */
  async findVisible(caller: Caller, id: string): Promise<Dealer> {
    const dealer = await this.dealers.findById(id);
    if (!dealer || !inDealerScope(dealerScopeOf(caller), dealer)) throw DorError.notFound('Dealer');
    return dealer;
  }

  async get(caller: Caller, id: string): Promise<DealerDetailView> {
    const dealer = await this.findVisible(caller, id);
    const history = await this.dealers.historyOf(dealer.id);
    return {
      ...toDealerView(dealer),
      history: history.map((h) => ({
        fromStatus: h.fromStatus,
        toStatus: h.toStatus,
        reason: h.reason,
        changedBy: h.changedByName,
        changedAt: h.changedAt.toISOString(),
      })),
    };
  }

  /** R2: only the dealer's own municipality (or admin) changes its status, always with a reason. */
  async changeStatus(caller: Caller, id: string, dto: ChangeStatusDto): Promise<DealerDetailView> {
    const dealer = await this.findVisible(caller, id);
    if (caller.role !== 'admin' && caller.role !== 'municipality') {
      throw DorError.forbidden('Only the municipality or an admin may change a dealer’s status');
    }
    await this.db.transaction(async (m) => {
      // Locked (PostgreSQL): of two status changes at once, the second sees the first's result.
      const fresh = await lockDealerRow(m, dealer.id);
      if (!canTransition(fresh.status, dto.status)) {
        throw new DorError(
          'INVALID_STATUS_TRANSITION',
          HttpStatus.CONFLICT,
          `A ${fresh.status} dealer cannot become ${dto.status}`,
          'status',
        );
      }
      const from = fresh.status;
      fresh.status = dto.status;
      await m.getRepository(Dealer).save(fresh);
      await m.getRepository(DealerStatusChange).save(
        m.getRepository(DealerStatusChange).create({
          dealerId: fresh.id,
          fromStatus: from,
          toStatus: dto.status,
          reason: dto.reason,
          changedByUserId: caller.id,
          changedByName: caller.name,
          changedAt: new Date(),
        }),
      );
    });
    return this.get(caller, id);
  }
}
