import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DorError } from '../common/dor-error';
import { Db } from '../database/db.service';
import { definedOnly, pageOf, PageQuery, type Page } from '../common/pagination';
import type { Caller } from '../common/roles';
import type {
  CreateMunicipalityDto,
  MunicipalityView,
  UpdateMunicipalityDto,
} from './dto/municipality.dto';
import { Municipality, MUNICIPALITY_DEFAULTS } from './municipality.entity';

export function toMunicipalityView(m: Municipality): MunicipalityView {
  return {
    code: m.code,
    name: m.name,
    holdingPeriodWorkingDays: m.holdingPeriodWorkingDays,
    registrationDeadlineHours: m.registrationDeadlineHours,
    minimumSellerAge: m.minimumSellerAge,
    retentionYears: m.retentionYears,
  };
}

@Injectable()
export class MunicipalitiesService {
  constructor(
    @InjectRepository(Municipality) private readonly municipalities: Repository<Municipality>,
    private readonly db: Db,
  ) {}

  async create(dto: CreateMunicipalityDto): Promise<MunicipalityView> {
    if (await this.municipalities.existsBy({ code: dto.code })) {
      throw DorError.conflict(
        'MUNICIPALITY_EXISTS',
        `Municipality ${dto.code} already exists`,
        'code',
      );
    }
    const m = this.municipalities.create({ ...MUNICIPALITY_DEFAULTS, ...definedOnly(dto) });
    return toMunicipalityView(
      await this.db.transaction((tm) => tm.getRepository(Municipality).save(m)),
    );
  }

  /** Every municipality, by name (a short list: the portal's choices). */
  async list(): Promise<MunicipalityView[]> {
    return (await this.municipalities.find({ order: { name: 'ASC' } })).map(toMunicipalityView);
  }

  async page(query: PageQuery): Promise<Page<MunicipalityView>> {
    const [rows, total] = await this.municipalities.findAndCount({
      order: { name: 'ASC' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    });
    return pageOf(rows.map(toMunicipalityView), total, query);
  }

  async get(code: string): Promise<MunicipalityView> {
    return toMunicipalityView(await this.find(code));
  }

  async find(code: string): Promise<Municipality> {
    const m = await this.municipalities.findOneBy({ code: code.toUpperCase() });
    if (!m) throw DorError.notFound('Municipality');
    return m;
  }

  /** Admin changes anything; a `municipality` user only its own municipality's settings. */
  async update(
    caller: Caller,
    code: string,
    dto: UpdateMunicipalityDto,
  ): Promise<MunicipalityView> {
    const m = await this.find(code);
    if (caller.role !== 'admin') {
      if (caller.role !== 'municipality' || caller.municipalityCode !== m.code) {
        throw DorError.forbidden(
          'Only the municipality itself or an admin may change its settings',
        );
      }
      if (dto.name !== undefined)
        throw DorError.forbidden('Only an admin may rename a municipality');
    }
    Object.assign(m, definedOnly(dto));
    return toMunicipalityView(
      await this.db.transaction((tm) => tm.getRepository(Municipality).save(m)),
    );
  }
}
