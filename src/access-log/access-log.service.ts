import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager } from 'typeorm';
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
  ) {}

  /** Appends one entry (in `m` when given, else in its own transaction). Parameters never hold a full document number. */
  async record(caller: Caller, action: AccessAction, purpose: Purpose, parameters: Record<string, unknown>, resultCount: number, m?: EntityManager): Promise<void> {
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

  async list(q: PageQuery & { userId?: string; from?: string; to?: string }): Promise<Page<AccessLogView>> {
    const { from, to } = periodOf(q.from, q.to);
    const qb = this.entries.createQueryBuilder('l');
    if (q.userId) qb.andWhere('l.userId = :userId', { userId: q.userId });
    if (from) qb.andWhere('l.at >= :from', { from });
    if (to) qb.andWhere('l.at <= :to', { to });
    const [rows, total] = await qb.orderBy('l.at', 'DESC').addOrderBy('l.id', 'DESC').skip((q.page - 1) * q.pageSize).take(q.pageSize).getManyAndCount();
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
