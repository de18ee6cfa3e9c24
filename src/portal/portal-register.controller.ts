import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { acquisitionProblems } from '../acquisitions/acquisition-rules';
import { AcquisitionsService, MAY_AMEND } from '../acquisitions/acquisitions.service';
import {
  AcquisitionListQuery,
  CorrectionDto,
  CreateAcquisitionDto,
  LINE_STATUSES,
  VoidDto,
  type LineStatus,
} from '../acquisitions/dto/acquisition.dto';
import { addDays, amsterdamDate } from '../acquisitions/holding-period';
import { RegisterExportService } from '../acquisitions/register-export.service';
import { CurrentUser, Roles, type RequestWithCaller } from '../common/auth.decorators';
import { DorError } from '../common/dor-error';
import type { Caller } from '../common/roles';
import { ValidationFailed, type FieldProblem } from '../common/validation-failed';
import { CATEGORIES, type Category, type Dealer } from '../dealers/dealer.entity';
import { DisposalsService } from '../disposals/disposals.service';
import { DisposalDto } from '../disposals/dto/disposal.dto';
import { UPLOAD_LIMIT } from '../imports/imports.controller';
import { ImportsService, type ImportView } from '../imports/imports.service';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { SellersService } from '../sellers/sellers.service';
import {
  acquisitionFieldViews,
  acquisitionToPlain,
  disposalFieldViews,
  disposalToPlain,
  emptyAcquisitionForm,
  emptyDisposalForm,
  emptyItem,
  FIELD_MESSAGES,
  formAction,
  itemFieldViews,
  itemFormOf,
  itemToPlain,
  MAX_ITEMS,
  options,
  problemsToForm,
  readAcquisitionForm,
  readDisposalForm,
  readItem,
  sellerFieldViews,
  toIsoDate,
  type AcquisitionForm,
  type DisposalForm,
  type ItemForm,
} from './acquisition-form';
import { addError, dtoProblems, noErrors, portalId, type FormErrors } from './forms';
import {
  CATEGORY_SINGULAR,
  formatDayDateTime,
  IDENTIFIER_ABSENT_LABELS,
  formatShortDateTime,
  IMPORT_STATUS_LABELS,
  LINE_STATUS_LABELS,
  violationLabel,
} from './labels';
import { page } from './page';
import {
  acquisitionFacts,
  brandModel,
  euro,
  identification,
  importErrorRow,
  itemFacts,
  lineRow,
  lineStatus,
  returningSellerLabel,
  sellerFacts,
  versionRows,
  type Line,
} from './register-views';
import { looksBinary, PortalUpload, type UploadedPortalFile, type UploadRequest } from './uploads';

const ANY_STATUS: ReadonlySet<string> = new Set([
  'pending',
  'active',
  'suspended',
  'closed',
  'rejected',
]);
const PAGE_SIZE = 50;

/** What a dealer that may not register (yet) reads, per status. */
function statusNotice(
  dealer: Dealer,
  municipalityName: string,
): { title: string; text: string; tone: 'info' | 'warning' | 'error' } | null {
  switch (dealer.status) {
    case 'active':
      return null;
    case 'pending':
      return {
        title: 'Uw aanmelding wacht op goedkeuring',
        text: `De gemeente ${municipalityName} beoordeelt uw aanmelding. U kunt nog geen inkopen registreren.`,
        tone: 'info',
      };
    case 'suspended':
      return {
        title: 'Uw bedrijf is geschorst',
        text: `De gemeente ${municipalityName} heeft uw bedrijf geschorst. U kunt geen nieuwe inkopen registreren. Uw register blijft zichtbaar en verkopen, correcties en ongeldig maken legt u nog wel vast.`,
        tone: 'error',
      };
    case 'rejected':
      return {
        title: 'Uw aanmelding is afgewezen',
        text: `De gemeente ${municipalityName} heeft uw aanmelding afgewezen. U kunt geen inkopen registreren.`,
        tone: 'error',
      };
    case 'closed':
      return {
        title: 'Uw registratie is beëindigd',
        text: 'U kunt geen inkopen meer registreren. Uw register blijft zichtbaar.',
        tone: 'error',
      };
  }
}

const NOT_ACTIVE_MESSAGE =
  'Uw bedrijf mag op dit moment geen inkopen registreren. Er is niets vastgelegd.';

/**
 * The dealer's screens (PORTAL.md "Dealer"): Overzicht, Inkoop registreren, Register with line
 * detail (disposal, correction, void), CSV export and Importeren. Every rule lives in the services.
 */
@ApiExcludeController()
@Controller()
export class PortalRegisterController {
  constructor(
    private readonly acquisitions: AcquisitionsService,
    private readonly disposals: DisposalsService,
    private readonly sellers: SellersService,
    private readonly imports: ImportsService,
    private readonly exporter: RegisterExportService,
    private readonly municipalities: MunicipalitiesService,
  ) {}

  // -------------------------------------------------------------------------------------------
  // Overzicht

  @Get('overzicht')
  @Roles('dealer', 'dealer_staff')
  async overview(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
  ): Promise<void> {
    const dealer = await this.acquisitions.ownDealer(caller, ANY_STATUS);
    const municipality = await this.municipalities.get(dealer.municipalityCode);
    const now = new Date();
    const today = amsterdamDate(now);
    const recent = await this.recentLines(caller, addDays(today, -60));
    const held = (
      await this.acquisitions.lines(caller, listQuery({ status: 'on_hold', pageSize: 200 }))
    ).items.filter((l) => l.hold);
    const row = (l: Line) => lineRow(l, now);
    const live = recent.filter((l) => l.status !== 'voided');
    const todays = live.filter((l) => amsterdamDate(new Date(l.acquiredAt)) === today);
    const waiting = live
      .filter((l) => !l.disposal && !l.hold && new Date(l.sellableFrom) > now)
      .sort((a, b) => a.sellableFrom.localeCompare(b.sellableFrom));
    const monthAgo = addDays(today, -30);
    const attention = new Map<string, { line: Line; reasons: { label: string; tone: string }[] }>();
    const flag = (l: Line, label: string, tone: string) => {
      const entry = attention.get(l.id) ?? { line: l, reasons: [] };
      entry.reasons.push({ label, tone });
      attention.set(l.id, entry);
    };
    for (const l of live) {
      const acquired = amsterdamDate(new Date(l.acquiredAt));
      for (const v of l.disposal?.violations ?? [])
        if (amsterdamDate(new Date(l.disposal!.disposedAt)) >= monthAgo)
          flag(l, violationLabel(v, l.disposal!.kind), 'stop');
      if (l.late && acquired >= monthAgo) flag(l, 'Te laat geregistreerd', 'wait');
      if (l.identifierAbsent && acquired >= monthAgo)
        flag(
          l,
          `Identificatienummer ontbreekt (${IDENTIFIER_ABSENT_LABELS[l.identifierAbsent as keyof typeof IDENTIFIER_ABSENT_LABELS].toLowerCase()})`,
          'wait',
        );
    }
    res.render(
      'overzicht',
      page(req, 'Overzicht', {
        companyName: dealer.companyName,
        notice: statusNotice(dealer, municipality.name),
        mayRegister: dealer.status === 'active',
        todayLabel: formatDayDateTime(now).replace(/ \d{4},.*$/, ''),
        today: { rows: todays.map(row), total: todays.length },
        waiting: {
          rows: waiting.slice(0, 20).map(row),
          total: waiting.length,
          more: Math.max(0, waiting.length - 20),
        },
        held: held.map(row),
        attention: [...attention.values()]
          .sort((a, b) => b.line.registerNumber - a.line.registerNumber)
          .map((a) => ({ ...row(a.line), reasons: a.reasons })),
      }),
    );
  }

  /** The dealer's lines acquired since `from` (a read-only walk over AcquisitionsService.lines). */
  private async recentLines(caller: Caller, from: string): Promise<Line[]> {
    const out: Line[] = [];
    for (let p = 1; p <= 10; p++) {
      const result = await this.acquisitions.lines(
        caller,
        listQuery({ from, page: p, pageSize: 200 }),
      );
      out.push(...result.items);
      if (out.length >= result.total || !result.items.length) break;
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Inkoop registreren

  @Get('inkoop')
  @Roles('dealer', 'dealer_staff')
  async registerPage(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
  ): Promise<void> {
    const dealer = await this.acquisitions.ownDealer(caller, ANY_STATUS);
    res.render(
      'inkoop',
      await this.inkoopModel(req, dealer, emptyAcquisitionForm(new Date()), noErrors()),
    );
  }

  @Post('inkoop')
  @Roles('dealer', 'dealer_staff')
  async register(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const dealer = await this.acquisitions.ownDealer(caller, ANY_STATUS);
    const form = readAcquisitionForm(body);
    const action = formAction(body);
    const sellerSearch =
      typeof body.sellerSearch === 'string' ? body.sellerSearch.slice(0, 100) : '';
    const render = async (status: number, errors: FormErrors, extra: Partial<InkoopExtra> = {}) =>
      res
        .status(status)
        .render(
          'inkoop',
          await this.inkoopModel(req, dealer, form, errors, { sellerSearch, ...extra }),
        );

    if (action.kind === 'add') {
      if (form.items.length < MAX_ITEMS) form.items.push(emptyItem());
      return render(200, noErrors(), {
        focusItem: form.items.length - 1,
        notice: `Artikel ${form.items.length} is toegevoegd.`,
      });
    }
    if (action.kind === 'remove') {
      if (form.items.length > 1 && action.index < form.items.length)
        form.items.splice(action.index, 1);
      return render(200, noErrors(), { notice: `Artikel ${action.index + 1} is verwijderd.` });
    }
    if (String(body.action) === 'find-seller')
      return render(200, noErrors(), {
        notice: sellerSearch ? `Verkopers met “${sellerSearch}” in de achternaam.` : undefined,
      });
    if (dealer.status !== 'active')
      return render(403, addError(noErrors(), 'inhoud', NOT_ACTIVE_MESSAGE));

    const municipality = await this.municipalities.find(dealer.municipalityCode);
    const itemLabel = (i: number) => `Artikel ${i + 1}`;
    const { dto, problems } = await dtoProblems(CreateAcquisitionDto, acquisitionToPlain(form));
    if (problems.length) {
      // Show every broken rule at once: the shape errors first, then what the register's own rules say about the rest.
      let rules: FieldProblem[] = [];
      try {
        rules = acquisitionProblems(dto, municipality, new Date());
      } catch {
        rules = [];
      }
      return render(
        400,
        problemsToForm([...problems, ...rules], {
          itemLabel,
          minimumSellerAge: municipality.minimumSellerAge,
        }),
      );
    }
    try {
      const { view } = await this.acquisitions.register(caller, dto);
      return res.redirect(303, `/inkoop/${view.id}`);
    } catch (e) {
      if (e instanceof ValidationFailed)
        return render(
          400,
          problemsToForm(e.problems, {
            itemLabel,
            minimumSellerAge: municipality.minimumSellerAge,
          }),
        );
      if (e instanceof DorError && e.code === 'DEALER_NOT_ACTIVE')
        return render(403, addError(noErrors(), 'inhoud', NOT_ACTIVE_MESSAGE));
      throw e;
    }
  }

  @Get('inkoop/:id')
  @Roles('dealer', 'dealer_staff')
  async registered(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('id', portalId()) id: string,
  ): Promise<void> {
    const a = await this.acquisitions.get(caller, id);
    const now = new Date();
    const numbers = a.items.map((i) => i.registerNumber);
    res.render(
      'inkoop-klaar',
      page(req, 'Inkoop geregistreerd', {
        summary:
          numbers.length === 1
            ? `De inkoop is geregistreerd onder nummer ${numbers[0]}.`
            : `De inkoop is geregistreerd onder de nummers ${numbers.slice(0, -1).join(', ')} en ${numbers[numbers.length - 1]}.`,
        acquiredAt: formatShortDateTime(a.acquiredAt),
        late: a.late,
        items: a.items.map((i) => ({
          ...lineRow({ ...i, acquiredAt: a.acquiredAt, late: a.late }, now),
          suspicious: i.identifierAbsent === 'removed' || i.identifierAbsent === 'unreadable',
        })),
      }),
    );
  }

  private async inkoopModel(
    req: RequestWithCaller,
    dealer: Dealer,
    form: AcquisitionForm,
    errors: FormErrors,
    extra: Partial<InkoopExtra> = {},
  ) {
    const municipality = await this.municipalities.get(dealer.municipalityCode);
    const returning = await this.sellers.returningSellers(
      dealer.id,
      extra.sellerSearch || undefined,
      50,
    );
    const sellerOptions = options(
      returning.map((s) => s.id),
      Object.fromEntries(returning.map((s) => [s.id, returningSellerLabel(s)])),
      form.sellerId,
      'Nee, een nieuwe verkoper',
    );
    if (form.sellerId && !returning.some((s) => s.id === form.sellerId)) {
      // A seller chosen before a search narrowed the list stays chosen.
      const chosen = await this.sellers.findOwn(dealer.id, form.sellerId);
      if (chosen)
        sellerOptions.splice(1, 0, {
          value: chosen.id,
          label: returningSellerLabel({
            ...chosen,
            idDocument: { type: chosen.idType, numberLast4: chosen.idNumberLast4 },
          }),
          selected: true,
        });
    }
    const fe = errors.fieldErrors;
    return page(req, 'Inkoop registreren', {
      notice: statusNotice(dealer, municipality.name),
      mayRegister: dealer.status === 'active',
      statusMessage: extra.notice,
      form,
      sellerSearch: extra.sellerSearch ?? '',
      hasReturning: returning.length > 0 || Boolean(extra.sellerSearch),
      sellerOptions,
      sellerError: fe.sellerId,
      seller: sellerFieldViews(form.seller, fe),
      acquisitionFields: acquisitionFieldViews(form, fe),
      items: form.items.map((item, index) => ({
        index,
        number: index + 1,
        removable: form.items.length > 1,
        fields: itemFieldViews(`item-${index}-`, item, fe, extra.focusItem === index),
      })),
      canAdd: form.items.length < MAX_ITEMS,
      minimumSellerAge: municipality.minimumSellerAge,
      ...errors,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Register

  @Get('register')
  @Roles('dealer', 'dealer_staff')
  async registerList(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Query() raw: Record<string, unknown>,
  ): Promise<void> {
    const f = registerFilter(raw);
    const result = await this.acquisitions.lines(
      caller,
      listQuery({
        q: f.q || undefined,
        category: f.categorie || undefined,
        status: f.status || undefined,
        from: f.van || undefined,
        to: f.tot || undefined,
        page: f.pagina,
        pageSize: PAGE_SIZE,
      }),
    );
    const now = new Date();
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    const link = (p: number) => `/register?${filterParams(f, { pagina: String(p) })}`;
    const filtered = Boolean(f.q || f.categorie || f.status || f.van || f.tot);
    res.status(f.errors.errors.length ? 400 : 200).render(
      'register',
      page(req, 'Register', {
        filter: f,
        filtered,
        rows: result.items.map((l) => lineRow(l, now)),
        total: result.total,
        categoryOptions: options(CATEGORIES, CATEGORY_SINGULAR, f.categorie, 'Alle categorieën'),
        statusOptions: options(
          LINE_STATUSES,
          {
            ...LINE_STATUS_LABELS,
            disposed: 'Verkocht of afgevoerd',
            on_hold: 'Politieonderzoek (niet verkopen)',
          },
          f.status,
          'Alle statussen',
        ),
        exportLink: `/register/export.csv?${new URLSearchParams({ ...(f.van ? { van: f.van } : {}), ...(f.tot ? { tot: f.tot } : {}) }).toString()}`,
        exportPeriod:
          f.van || f.tot
            ? `${f.van ? `vanaf ${f.van.split('-').reverse().join('-')}` : ''}${f.van && f.tot ? ' ' : ''}${f.tot ? `tot en met ${f.tot.split('-').reverse().join('-')}` : ''}`
            : 'alle regels',
        pager:
          pages > 1
            ? {
                page: f.pagina,
                pages,
                prev: f.pagina > 1 ? link(f.pagina - 1) : null,
                next: f.pagina < pages ? link(f.pagina + 1) : null,
              }
            : null,
        ...f.errors,
      }),
    );
  }

  @Get('register/export.csv')
  @Roles('dealer', 'dealer_staff')
  async exportCsv(
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Query() raw: Record<string, unknown>,
  ): Promise<void> {
    const dealer = await this.acquisitions.ownDealer(caller, ANY_STATUS);
    const f = registerFilter(raw);
    // A period that is not a date exports nothing: the register page shows the error next to the field.
    if (f.errors.errors.length)
      return res.redirect(
        303,
        `/register?${new URLSearchParams({ van: typeof raw.van === 'string' ? raw.van : '', tot: typeof raw.tot === 'string' ? raw.tot : '' }).toString()}`,
      );
    const csv = await this.exporter.csv(caller, dealer, {
      from: f.van || undefined,
      to: f.tot || undefined,
    });
    const period = [f.van, f.tot].filter(Boolean).join('_tot_') || amsterdamDate(new Date());
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .setHeader(
        'Content-Disposition',
        `attachment; filename="register-${dealer.kvkNumber}-${period}.csv"`,
      )
      .send(csv);
  }

  @Get('register/:id')
  @Roles('dealer', 'dealer_staff')
  async line(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('id', portalId()) id: string,
  ): Promise<void> {
    res.render('regel', await this.lineModel(req, caller, id, {}, noErrors()));
  }

  @Post('register/:id/afvoeren')
  @Roles('dealer', 'dealer_staff')
  async dispose(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('id', portalId()) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.acquisitions.item(caller, id); // 404 for another dealer's line before anything else
    const form = readDisposalForm(body);
    const { dto, problems } = await dtoProblems(DisposalDto, disposalToPlain(form));
    let errors = problemsToForm(problems);
    if (!problems.length) {
      try {
        await this.disposals.dispose(caller, id, dto);
        return res.redirect(303, `/register/${id}?melding=afgevoerd`);
      } catch (e) {
        errors = this.amendError(e, problemsToForm, 'afvoeren');
      }
    }
    res
      .status(statusOf(errors))
      .render('regel', await this.lineModel(req, caller, id, { disposal: form }, errors));
  }

  @Post('register/:id/corrigeren')
  @Roles('dealer', 'dealer_staff')
  async correct(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('id', portalId()) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const { acquisition } = await this.acquisitions.item(caller, id);
    const item = readItem(body, 'c-');
    const reason = typeof body.reason === 'string' ? body.reason : '';
    const plain = { reason, changes: { items: [{ id, ...itemToPlain(item) }] } };
    const toForm = (ps: FieldProblem[]) =>
      problemsToForm(
        ps.map((p) => (p.path === 'reason' ? { ...p, path: 'c-reason' } : p)),
        { itemPrefix: () => 'c-' },
      );
    const { dto, problems } = await dtoProblems(CorrectionDto, plain);
    let errors = toForm(problems);
    if (!problems.length) {
      try {
        await this.acquisitions.correct(caller, acquisition.id, dto);
        return res.redirect(303, `/register/${id}?melding=gecorrigeerd`);
      } catch (e) {
        errors = this.amendError(e, toForm, 'corrigeren');
      }
    }
    res
      .status(statusOf(errors))
      .render('regel', await this.lineModel(req, caller, id, { correction: item, reason }, errors));
  }

  @Post('register/:id/ongeldig')
  @Roles('dealer', 'dealer_staff')
  async void(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('id', portalId()) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const { acquisition } = await this.acquisitions.item(caller, id);
    const voidReason = typeof body.reason === 'string' ? body.reason : '';
    const toForm = (ps: FieldProblem[]) =>
      problemsToForm(ps.map((p) => ({ ...p, path: 'v-reason' })));
    const { dto, problems } = await dtoProblems(VoidDto, { reason: voidReason });
    let errors = toForm(problems);
    if (!problems.length) {
      try {
        await this.acquisitions.void(caller, acquisition.id, dto);
        return res.redirect(303, `/register/${id}?melding=ongeldig`);
      } catch (e) {
        errors = this.amendError(e, toForm, 'ongeldig');
      }
    }
    res
      .status(statusOf(errors))
      .render('regel', await this.lineModel(req, caller, id, { voidReason }, errors));
  }

  /** A refusal by the service → the form's errors, in Dutch; anything unexpected is rethrown. */
  private amendError(
    e: unknown,
    toForm: (ps: FieldProblem[]) => FormErrors,
    section: string,
  ): FormErrors {
    if (e instanceof ValidationFailed) return withStatus(toForm(e.problems), 400);
    if (e instanceof DorError && e.status < 500 && e.code !== 'NOT_FOUND') {
      const message = AMEND_MESSAGES[e.code] ?? 'Dit kan niet met deze regel.';
      return withStatus(addError(noErrors(), section, message), e.status);
    }
    throw e;
  }

  private async lineModel(
    req: RequestWithCaller,
    caller: Caller,
    id: string,
    typed: { disposal?: DisposalForm; correction?: ItemForm; reason?: string; voidReason?: string },
    errors: FormErrors,
  ) {
    const { item, acquisition } = await this.acquisitions.item(caller, id);
    const dealer = await this.acquisitions.ownDealer(caller, ANY_STATUS);
    const now = new Date();
    const fe = errors.fieldErrors;
    const mayAmend = MAY_AMEND.has(dealer.status) && !acquisition.voided;
    const inHoldingPeriod = new Date(item.sellableFrom) > now;
    const others = acquisition.items
      .filter((i) => i.id !== item.id)
      .map((i) => ({ id: i.id, registerNumber: i.registerNumber }));
    const anyDisposed = acquisition.items.some((i) => i.disposal);
    const disposalForm = typed.disposal ?? emptyDisposalForm(now);
    const correctionForm = typed.correction ?? itemFormOf(item);
    const disposal = item.disposal;
    return page(req, `Regel ${item.registerNumber}`, {
      item,
      heading: [CATEGORY_SINGULAR[item.category as Category] ?? item.category, brandModel(item)]
        .filter(Boolean)
        .join(' — '),
      identification: identification(item),
      status: lineStatus(item, now),
      sellableFrom: formatDayDateTime(item.sellableFrom),
      inHoldingPeriod: inHoldingPeriod && !disposal && !acquisition.voided,
      itemFacts: itemFacts(item),
      acquisitionFacts: acquisitionFacts(acquisition),
      sellerFacts: sellerFacts(acquisition),
      voided: acquisition.voided
        ? {
            at: acquisition.voidedAt ? formatShortDateTime(acquisition.voidedAt) : '',
            reason: acquisition.voidReason,
          }
        : null,
      others,
      disposal: disposal
        ? {
            disposedAt: formatShortDateTime(disposal.disposedAt),
            kind: disposal.kind,
            kindLabel: lineStatus(item, now).label,
            price: euro(disposal.priceCents),
            buyer: disposal.buyer
              ? [disposal.buyer.name, disposal.buyer.city].filter(Boolean).join(', ')
              : '',
            recordedAt: formatShortDateTime(disposal.recordedAt),
            violations: disposal.violations.map((v) => violationLabel(v, disposal.kind)),
          }
        : null,
      versions: versionRows(acquisition.versions ?? []),
      mayDispose: mayAmend && !disposal,
      mayCorrect: mayAmend,
      mayVoid: mayAmend && !anyDisposed,
      voidBlocked: mayAmend && anyDisposed,
      disposalFields: disposalFieldViews(disposalForm, fe),
      disposalKindError: fe.kind,
      correctionFields: itemFieldViews('c-', correctionForm, fe),
      reason: typed.reason ?? '',
      reasonError: fe['c-reason'],
      voidReason: typed.voidReason ?? '',
      voidReasonError: fe['v-reason'],
      openCorrection: typed.correction !== undefined,
      openVoid: typed.voidReason !== undefined,
      ...errors,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Importeren

  @Get('importeren')
  @Roles('dealer', 'dealer_staff')
  async importPage(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
  ): Promise<void> {
    res.render('importeren', await this.importModel(req, caller, noErrors()));
  }

  @Post('importeren')
  @Roles('dealer', 'dealer_staff')
  @UseInterceptors(PortalUpload(UPLOAD_LIMIT))
  async upload(
    @Req() req: UploadRequest,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @UploadedFile() file: UploadedPortalFile | undefined,
  ): Promise<void> {
    const refuse = async (status: number, message: string) =>
      res
        .status(status)
        .render(
          'importeren',
          await this.importModel(req, caller, addError(noErrors(), 'file', message)),
        );
    if (req.uploadError === 'too_large')
      return refuse(413, 'Het bestand is groter dan 10 MB. Splits het in kleinere bestanden.');
    if (req.uploadError || !file) return refuse(400, 'Kies een CSV-bestand om te uploaden');
    if (!file.size)
      return refuse(400, 'Het bestand is leeg. Kies het CSV-bestand uit uw kassaprogramma.');
    if (looksBinary(file.buffer))
      return refuse(
        400,
        'Dit is geen CSV-bestand. Sla het in uw kassaprogramma of spreadsheet op als CSV (UTF-8) en probeer het opnieuw.',
      );
    try {
      const job = await this.imports.enqueue(caller, file.originalname, file.buffer);
      return res.redirect(303, `/importeren/${job.id}`);
    } catch (e) {
      if (e instanceof DorError && e.code === 'DEALER_NOT_ACTIVE')
        return refuse(
          403,
          'Uw bedrijf mag op dit moment geen inkopen registreren; er is niets geïmporteerd.',
        );
      throw e;
    }
  }

  @Get('importeren/:id')
  @Roles('dealer', 'dealer_staff')
  async importStatus(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('id', portalId()) id: string,
  ): Promise<void> {
    const job = await this.imports.get(caller, id);
    const busy = job.status === 'queued' || job.status === 'running';
    res.render(
      'import-status',
      page(req, `Import ${job.fileName}`, {
        job: importRow(job),
        busy,
        refreshSeconds: busy ? 2 : undefined,
        progressLabel: job.total
          ? `${job.processed} van ${job.total} regels gecontroleerd`
          : busy
            ? 'Het bestand wordt gelezen'
            : '',
        importErrors: job.errors.map(importErrorRow),
      }),
    );
  }

  private async importModel(req: RequestWithCaller, caller: Caller, errors: FormErrors) {
    const dealer = await this.acquisitions.ownDealer(caller, ANY_STATUS);
    const municipality = await this.municipalities.get(dealer.municipalityCode);
    return page(req, 'Importeren', {
      notice: statusNotice(dealer, municipality.name),
      mayRegister: dealer.status === 'active',
      recent: (await this.imports.recent(caller, 10)).map(importRow),
      fileError: errors.fieldErrors.file,
      ...errors,
    });
  }
}

interface InkoopExtra {
  sellerSearch: string;
  focusItem: number;
  notice: string;
}

const AMEND_MESSAGES: Record<string, string> = {
  ITEM_ALREADY_DISPOSED:
    'Dit artikel is al verkocht of afgevoerd. Een artikel wordt maar één keer afgevoerd.',
  ITEM_VOIDED: 'Deze regel is ongeldig gemaakt en kan niet worden afgevoerd.',
  ACQUISITION_VOIDED: 'Deze regel is ongeldig gemaakt en kan niet meer worden gecorrigeerd.',
  ALREADY_VOIDED: 'Deze inkoop is al ongeldig gemaakt.',
  ITEM_DISPOSED:
    'Een artikel van deze inkoop is al verkocht of afgevoerd. Ongeldig maken kan dan niet meer: corrigeer de regel.',
  NOTHING_CHANGED: 'U heeft niets gewijzigd. Pas eerst een veld aan.',
  DEALER_NOT_ACTIVE: 'Uw bedrijf mag dit op dit moment niet vastleggen.',
  FORBIDDEN: 'U mag dit niet vastleggen.',
};

function withStatus(errors: FormErrors, status: number): FormErrors {
  return Object.assign(errors, { status });
}

function statusOf(errors: FormErrors): number {
  return (errors as FormErrors & { status?: number }).status ?? 400;
}

function importRow(j: ImportView) {
  return {
    id: j.id,
    fileName: j.fileName,
    createdAt: formatShortDateTime(j.createdAt),
    finishedAt: j.finishedAt ? formatShortDateTime(j.finishedAt) : '',
    status: j.status,
    statusText: IMPORT_STATUS_LABELS[j.status],
    total: j.total,
    processed: j.processed,
    created: j.created,
    errorCount: j.errors.length,
  };
}

function listQuery(q: Partial<AcquisitionListQuery>): AcquisitionListQuery {
  return Object.assign(new AcquisitionListQuery(), { page: 1, pageSize: PAGE_SIZE }, q);
}

interface RegisterFilterValues {
  q: string;
  categorie: Category | '';
  status: LineStatus | '';
  van: string;
  tot: string;
  pagina: number;
  errors: FormErrors;
}

/** The register's filter from the query string; a value that is not understood is ignored and explained. */
function registerFilter(raw: Record<string, unknown>): RegisterFilterValues {
  const s = (k: string) => (typeof raw[k] === 'string' ? raw[k] : '');
  const errors = noErrors();
  const date = (k: 'van' | 'tot') => {
    if (!s(k).trim()) return '';
    const iso = toIsoDate(s(k));
    if (!iso) addError(errors, k, FIELD_MESSAGES.period);
    return iso ?? '';
  };
  const categorie = (CATEGORIES as readonly string[]).includes(s('categorie'))
    ? (s('categorie') as Category)
    : '';
  const status = (LINE_STATUSES as readonly string[]).includes(s('status'))
    ? (s('status') as LineStatus)
    : '';
  const pagina = /^\d{1,5}$/.test(s('pagina')) && Number(s('pagina')) > 0 ? Number(s('pagina')) : 1;
  return {
    q: s('q').trim().slice(0, 100),
    categorie,
    status,
    van: date('van'),
    tot: date('tot'),
    pagina,
    errors,
  };
}

function filterParams(f: RegisterFilterValues, extra: Record<string, string> = {}): string {
  const p: Record<string, string> = {};
  if (f.q) p.q = f.q;
  if (f.categorie) p.categorie = f.categorie;
  if (f.status) p.status = f.status;
  if (f.van) p.van = f.van;
  if (f.tot) p.tot = f.tot;
  return new URLSearchParams({ ...p, ...extra }).toString();
}
