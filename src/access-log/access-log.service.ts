import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository, type EntityManager } from 'typeorm';
import { Item } from '../acquisitions/item.entity';
import { Dealer } from '../dealers/dealer.entity';
import { periodOf } from '../common/amsterdam-time';
import { pageOf, type Page, type PageQuery } from '../common/pagination';
import type { Caller } from '../common/roles';
import { Db } from '../database/db.service';
import { AccessLogEntry, type AccessAction } from './access-log.entity';

export interface AccessLogView {
  id: string;
  at: string;
  userId: string;
  userName: string;
  role: string;
  action: AccessAction;
  reason: string;
  caseNumber: string | null;
  parameters: Record<string, unknown>;
  resultCount: number;
}

export interface Purpose {
  reason: string;
  caseNumber?: string;
}

/** R19: the append-only access log of police and BOA searches and views of seller data. */
@Injectable()
export class AccessLogService {
  constructor(
    @InjectRepository(AccessLogEntry) private readonly entries: Repository<AccessLogEntry>,
    private readonly db: Db,
    private readonly dataSource: DataSource,
  ) {}

  /** Appends one entry (in `m` when given, else in its own transaction). Parameters never hold a full document number. */
  async record(
    caller: Caller,
    action: AccessAction,
    purpose: Purpose,
    parameters: Record<string, unknown>,
    resultCount: number,
    m?: EntityManager,
  ): Promise<void> {
    const entry = Object.assign(new AccessLogEntry(), {
      at: new Date(),
      userId: caller.id,
      userName: caller.name,
      role: caller.role,
      action,
      reason: purpose.reason,
      caseNumber: purpose.caseNumber ?? null,
      parameters: JSON.stringify(parameters),
      resultCount,
    });
    if (m) await this.db.insert(m, AccessLogEntry, entry);
    else await this.db.transaction((tx) => this.db.insert(tx, AccessLogEntry, entry));
  }

  /** The people who appear in the log (for the admin's filter), by name. */
  async people(): Promise<{ userId: string; userName: string; role: string }[]> {
    return this.entries
      .createQueryBuilder('l')
      .select('l.userId', 'userId')
      .addSelect('MAX(l.userName)', 'userName')
      .addSelect('MAX(l.role)', 'role')
      .groupBy('l.userId')
      .orderBy('MAX(l.userName)', 'ASC')
      .getRawMany();
  }

  /** Names for the ids in entries' parameters: a dealer's company name, a line as "regel N — dealer". */
  async namesFor(entries: AccessLogView[]): Promise<Map<string, string>> {
    const ids = (key: string) => [
      ...new Set(
        entries.map((e) => e.parameters[key]).filter((v): v is string => typeof v === 'string'),
      ),
    ];
    const names = new Map<string, string>();
    const dealerIds = ids('dealerId');
    const itemIds = ids('itemId');
    const items = itemIds.length
      ? await this.dataSource.getRepository(Item).find({
          select: { id: true, registerNumber: true, dealerId: true },
          where: { id: In(itemIds) },
        })
      : [];
    const allDealers = [...new Set([...dealerIds, ...items.map((i) => i.dealerId)])];
    for (const d of allDealers.length
      ? await this.dataSource
          .getRepository(Dealer)
          .find({ select: { id: true, companyName: true }, where: { id: In(allDealers) } })
      : [])
      names.set(d.id, d.companyName);
    for (const i of items)
      names.set(i.id, `regel ${i.registerNumber} — ${names.get(i.dealerId) ?? ''}`);
    return names;
  }

  async list(
    q: PageQuery & { userId?: string; from?: string; to?: string },
  ): Promise<Page<AccessLogView>> {
    const { from, to } = periodOf(q.from, q.to);
    const qb = this.entries.createQueryBuilder('l');
    if (q.userId) qb.andWhere('l.userId = :userId', { userId: q.userId });
    if (from) qb.andWhere('l.at >= :from', { from });
    if (to) qb.andWhere('l.at <= :to', { to });
    const [rows, total] = await qb
      .orderBy('l.at', 'DESC')
      .addOrderBy('l.id', 'DESC')
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    return pageOf(rows.map(toAccessLogView), total, q);
  }
}

export function toAccessLogView(e: AccessLogEntry): AccessLogView {
  return {
    id: e.id,
    at: e.at.toISOString(),
    userId: e.userId,
    userName: e.userName,
    role: e.role,
    action: e.action,
    reason: e.reason,
    caseNumber: e.caseNumber,
    parameters: JSON.parse(e.parameters) as Record<string, unknown>,
    resultCount: e.resultCount,
  };
}
