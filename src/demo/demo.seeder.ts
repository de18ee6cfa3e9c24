import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AcquisitionsService } from '../acquisitions/acquisitions.service';
import { DisposalsService } from '../disposals/disposals.service';
import { toCaller } from '../users/user.mapper';
import { seedDemoRegister } from './demo-register';
import { seedDemoPolice } from './demo-police';
import { HoldsService } from '../holds/holds.service';
import { DealerReportsService } from '../police/dealer-reports.service';
import { HitsService } from '../police/hits.service';
import { StolenReportsService } from '../police/stolen-reports.service';
import { WatchlistsService } from '../police/watchlists.service';
import { Db } from '../database/db.service';
import { DorError } from '../common/dor-error';
import { isUniqueViolation } from '../common/http-exception.filter';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DealerStatusChange } from '../dealers/dealer-status-change.entity';
import { Dealer } from '../dealers/dealer.entity';
import { Municipality, MUNICIPALITY_DEFAULTS } from '../municipalities/municipality.entity';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { DEMO_DEALERS, DEMO_MUNICIPALITIES, DEMO_PASSWORD, DEMO_USERS } from './demo.data';

/**
 * At start: creates the configured admin when no admin exists (DOR_ADMIN_EMAIL/PASSWORD), and with
 * DOR_DEMO=1 seeds the demo data into an empty database and prints its logins.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Startup');

  constructor(
    private readonly ds: DataSource,
    private readonly db: Db,
    private readonly users: UsersService,
    private readonly acquisitions: AcquisitionsService,
    private readonly disposals: DisposalsService,
    private readonly stolen: StolenReportsService,
    private readonly hits: HitsService,
    private readonly holds: HoldsService,
    private readonly watchlists: WatchlistsService,
    private readonly dealerReports: DealerReportsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureAdmin();
    if (this.config.demo && (await this.ds.getRepository(Municipality).count()) === 0) {
      await this.seed();
      const r = await this.seedRegister();
      this.logger.log(
        `Demo register: ${r.acquisitions} acquisitions, ${r.lines} lines, ${r.disposals} disposals`,
      );
      const p = await this.seedPolice();
      this.logger.log(
        `Demo police: ${p.reports} stolen reports, ${p.hits} hits, ${p.holds} hold, ${p.watchlists} watchlists, ${p.dealerReports} dealer reports`,
      );
      this.printLogins();
    }
  }

  /** The configured first admin, once — also when several nodes start at the same moment. */
  async ensureAdmin(): Promise<void> {
    const admin = this.config.admin;
    if (!admin || (await this.ds.getRepository(User).existsBy({ role: 'admin' }))) return;
    try {
      await this.users.createUser({
        email: admin.email,
        name: 'Beheerder',
        password: admin.password,
        role: 'admin',
        dealerId: null,
        municipalityCode: null,
      });
    } catch (e) {
      // Several nodes started at once: another one created the admin first.
      if ((e instanceof DorError && e.code === 'EMAIL_TAKEN') || isUniqueViolation(e)) return;
      throw e;
    }
    this.logger.log(`Created admin ${admin.email}`);
  }

  /** Municipalities, dealers and users in one transaction; the register and police data follow through the services. */
  async seed(): Promise<void> {
    await this.db.transaction(async (m) => {
      await m
        .getRepository(Municipality)
        .save(
          DEMO_MUNICIPALITIES.map((x) =>
            m.getRepository(Municipality).create({ ...MUNICIPALITY_DEFAULTS, ...x }),
          ),
        );
      const ids = new Map<string, string>();
      const start = new Date(Date.now() - 120 * 86400_000);
      for (const d of DEMO_DEALERS) {
        const { key, ...fields } = d;
        const dealer = await m
          .getRepository(Dealer)
          .save(m.getRepository(Dealer).create({ ...fields, createdAt: start }));
        ids.set(key, dealer.id);
        const history: Partial<DealerStatusChange>[] = [
          {
            fromStatus: null,
            toStatus: 'pending',
            reason: 'Aanmelding ontvangen',
            changedByName: null,
            changedAt: start,
          },
        ];
        if (d.status === 'active') {
          history.push({
            fromStatus: 'pending',
            toStatus: 'active',
            reason: 'Aanmelding beoordeeld en goedgekeurd',
            changedByName: 'Gemeente (demo)',
            changedAt: new Date(start.getTime() + 2 * 86400_000),
          });
        }
        for (const h of history) {
          await m
            .getRepository(DealerStatusChange)
            .save(
              m
                .getRepository(DealerStatusChange)
                .create({ ...h, dealerId: dealer.id, changedByUserId: null }),
            );
        }
      }
      for (const u of DEMO_USERS) {
        if (u.role === 'admin' && this.config.admin) continue;
        await this.users.createUser(
          {
            email: u.email,
            name: u.name,
            password: DEMO_PASSWORD,
            role: u.role,
            dealerId: u.dealerKey ? (ids.get(u.dealerKey) ?? null) : null,
            municipalityCode: u.municipalityCode ?? null,
          },
          m,
        );
      }
    });
  }

  /** The register of the active demo dealers, registered by their owners through the real services. */
  async seedRegister() {
    const owners = await this.ds.getRepository(User).find({ where: { role: 'dealer' } });
    const dealers = await this.ds
      .getRepository(Dealer)
      .find({ where: { status: 'active' }, order: { kvkNumber: 'ASC' } });
    const list = dealers.flatMap((d) => {
      const owner = owners.find((u) => u.dealerId === d.id);
      return owner ? [{ caller: toCaller(owner), categories: d.categories }] : [];
    });
    return seedDemoRegister(list, this.acquisitions, this.disposals);
  }

  /** Stolen reports with hits, a hit under investigation, a hold, a watchlist that alerted, dealer reports (issue 4). */
  async seedPolice() {
    const users = await this.ds.getRepository(User).find();
    const dealers = await this.ds.getRepository(Dealer).find();
    const caller = (email: string) => toCaller(users.find((u) => u.email === email)!);
    const byKey = (key: string) => {
      const kvk = DEMO_DEALERS.find((d) => d.key === key)!.kvkNumber;
      const dealer = dealers.find((d) => d.kvkNumber === kvk)!;
      return toCaller(users.find((u) => u.role === 'dealer' && u.dealerId === dealer.id)!);
    };
    return seedDemoPolice(
      {
        ds: this.ds,
        acquisitions: this.acquisitions,
        stolen: this.stolen,
        hits: this.hits,
        holds: this.holds,
        watchlists: this.watchlists,
        dealerReports: this.dealerReports,
      },
      {
        police: caller(DEMO_USERS.find((u) => u.role === 'police')!.email),
        owners: {
          telefoonhuis: byKey('telefoonhuis'),
          goudwisselkantoor: byKey('goudwisselkantoor'),
          rijwiel: byKey('rijwiel'),
          kringloop: byKey('kringloop'),
        },
      },
    );
  }

  private printLogins(): void {
    // The demo admin is not made when DOR_ADMIN_EMAIL gives one: then that is the admin to sign in as.
    const lines = DEMO_USERS.filter((u) => !(u.role === 'admin' && this.config.admin)).map(
      (u) => `  ${u.role.padEnd(13)} ${u.email}`,
    );
    this.logger.log(
      `Demo data seeded. Sign in with password "${DEMO_PASSWORD}" as:\n${lines.join('\n')}`,
    );
  }
}
