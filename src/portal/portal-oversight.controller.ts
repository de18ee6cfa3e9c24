import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccessLogService } from '../access-log/access-log.service';
import { AcquisitionsService } from '../acquisitions/acquisitions.service';
import { AcquisitionListQuery } from '../acquisitions/dto/acquisition.dto';
import { CurrentUser, Roles, type RequestWithCaller } from '../common/auth.decorators';
import { DorError } from '../common/dor-error';
import type { Caller, Role } from '../common/roles';
import { DEALER_REPORT_KINDS } from '../police/dealer-report.entity';
import { DealerReportsService } from '../police/dealer-reports.service';
import { CreateDealerReportDto } from '../police/dto/police.dto';
import { options, toIsoDate } from './acquisition-form';
import {
  addError,
  domainErrorToForm,
  noErrors,
  validateForm,
  type FormErrors,
  type FormSpec,
} from './forms';
import { formatShortDateTime, ROLE_LABELS } from './labels';
import { page } from './page';
import { accessLogRow, DEALER_REPORT_KIND_LABELS, itemSummary } from './police-views';

const LOG_PAGE_SIZE = 50;

const MELDING_FORM: FormSpec & { codes: Record<string, string> } = {
  messages: {
    kind: 'Kies wat u meldt',
    itemId: 'Kies een regel uit uw register, of geen',
    description:
      'Beschrijf wat er gebeurde in minstens 10 tekens: wat werd aangeboden, door wie, wat viel op',
    brand: 'Vul hoogstens 100 tekens in',
    model: 'Vul hoogstens 100 tekens in',
    identifier: 'Vul hoogstens 100 tekens in',
  },
  codes: {
    NOT_FOUND: 'Deze regel staat niet in uw register',
    DEALER_NOT_ACTIVE: 'Uw bedrijf kan op dit moment geen melding doen. Bel de politie: 0900-8844.',
  },
};

const str = (raw: Record<string, unknown>, k: string): string =>
  typeof raw[k] === 'string' ? raw[k].trim() : '';

/** The admin's access log (R19) and the dealer's report to the police (R17). */
@ApiExcludeController()
@Controller()
export class PortalOversightController {
  constructor(
    private readonly accessLog: AccessLogService,
    private readonly reports: DealerReportsService,
    private readonly acquisitions: AcquisitionsService,
  ) {}

  // -------------------------------------------------------------------------------------------
  // Toegangslog (admin)

  @Get('toegangslog')
  @Roles('admin')
  async accessLogPage(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Query() raw: Record<string, unknown>,
  ): Promise<void> {
    const typed = { gebruiker: str(raw, 'gebruiker'), van: str(raw, 'van'), tot: str(raw, 'tot') };
    const pagina =
      /^\d{1,5}$/.test(str(raw, 'pagina')) && Number(str(raw, 'pagina')) > 0
        ? Number(str(raw, 'pagina'))
        : 1;
    const errors = noErrors();
    // Everyone who appears in the log (police and BOA, also a user disabled since).
    const people = (await this.accessLog.people()).map((p) => ({
      id: p.userId,
      name: p.userName,
      role: p.role as Role,
    }));
    const userId = people.some((u) => u.id === typed.gebruiker) ? typed.gebruiker : undefined;
    if (typed.gebruiker && !userId)
      addError(errors, 'gebruiker', 'Kies een gebruiker uit de lijst');
    const date = (k: 'van' | 'tot') => {
      if (!typed[k]) return undefined;
      const iso = toIsoDate(typed[k]);
      if (!iso) addError(errors, k, 'Vul een datum in, bijvoorbeeld 31-12-2026');
      return iso ?? undefined;
    };
    const from = date('van');
    const to = date('tot');
    const result = await this.accessLog.list({
      page: pagina,
      pageSize: LOG_PAGE_SIZE,
      userId,
      from,
      to,
    });
    const pages = Math.max(1, Math.ceil(result.total / LOG_PAGE_SIZE));
    const names = await this.accessLog.namesFor(result.items);
    const link = (p: number) =>
      `/toegangslog?${new URLSearchParams({ ...(userId ? { gebruiker: userId } : {}), ...(from ? { van: from } : {}), ...(to ? { tot: to } : {}), pagina: String(p) }).toString()}`;
    res.status(errors.errors.length ? 400 : 200).render(
      'toegangslog',
      page(req, 'Toegangslog', {
        form: { ...typed, van: from ?? typed.van, tot: to ?? typed.tot },
        filtered: Boolean(userId || from || to),
        userOptions: options(
          people.map((u) => u.id),
          Object.fromEntries(people.map((u) => [u.id, `${u.name} (${ROLE_LABELS[u.role]})`])),
          typed.gebruiker,
          'Alle gebruikers',
        ),
        rows: result.items.map((e) => ({
          ...accessLogRow(e, names),
          role: ROLE_LABELS[e.role as keyof typeof ROLE_LABELS] ?? e.role,
        })),
        total: result.total,
        pager:
          pages > 1
            ? {
                page: pagina,
                pages,
                prev: pagina > 1 ? link(pagina - 1) : null,
                next: pagina < pages ? link(pagina + 1) : null,
              }
            : null,
        ...errors,
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Melding (dealer)

  @Get('melding')
  @Roles('dealer', 'dealer_staff')
  async reportPage(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Query() raw: Record<string, unknown>,
  ): Promise<void> {
    const regel = str(raw, 'regel');
    res.render(
      'melding',
      await this.reportModel(
        req,
        caller,
        regel ? { kind: 'suspected_stolen', itemId: regel } : {},
        noErrors(),
      ),
    );
  }

  @Post('melding')
  @Roles('dealer', 'dealer_staff')
  async report(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const typed = Object.fromEntries(
      ['kind', 'itemId', 'description', 'brand', 'model', 'identifier'].map((k) => [
        k,
        str(body, k),
      ]),
    );
    const plain = Object.fromEntries(
      Object.entries(typed).filter(([k, v]) => v !== '' || k === 'kind' || k === 'description'),
    );
    const { dto, form } = await validateForm(CreateDealerReportDto, plain, MELDING_FORM);
    let errors = form;
    let status = 400;
    if (!errors.errors.length) {
      try {
        await this.reports.create(caller, dto);
        return res.redirect(303, '/melding?melding=melding');
      } catch (e) {
        errors =
          e instanceof DorError && e.code === 'NOT_FOUND'
            ? addError(noErrors(), 'itemId', MELDING_FORM.codes.NOT_FOUND)
            : domainErrorToForm(e, MELDING_FORM);
        status = e instanceof DorError ? e.status : 400;
      }
    }
    res.status(status).render('melding', await this.reportModel(req, caller, typed, errors));
  }

  private async reportModel(
    req: RequestWithCaller,
    caller: Caller,
    typed: Record<string, string>,
    errors: FormErrors,
  ) {
    const lines = await this.acquisitions.lines(
      caller,
      Object.assign(new AcquisitionListQuery(), { page: 1, pageSize: 100 }),
    );
    const own = await this.reports.own(caller);
    const lineLabel = new Map(
      lines.items.map((l) => [l.id, `Regel ${l.registerNumber} — ${itemSummary(l)}`]),
    );
    return page(req, 'Melding aan de politie', {
      form: typed,
      kindChoices: DEALER_REPORT_KINDS.map((k) => ({
        value: k,
        label: DEALER_REPORT_KIND_LABELS[k],
        checked: typed.kind === k,
      })),
      lineOptions: options(
        lines.items.map((l) => l.id),
        Object.fromEntries(lineLabel),
        typed.itemId ?? '',
        'Geen regel (het artikel is niet ingekocht)',
      ),
      reports: own.map((r) => ({
        createdAt: formatShortDateTime(r.createdAt),
        kind: DEALER_REPORT_KIND_LABELS[r.kind],
        line: r.itemId ? (lineLabel.get(r.itemId) ?? 'Regel in uw register') : '',
        itemId: r.itemId,
        what: [r.brand, r.model, r.identifier].filter(Boolean).join(' · '),
        description: r.description,
      })),
      ...errors,
    });
  }
}
