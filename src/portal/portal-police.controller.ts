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
import type { AcquisitionView } from '../acquisitions/acquisition.mapper';
import { AcquisitionsService } from '../acquisitions/acquisitions.service';
import { CurrentUser, Roles, type RequestWithCaller } from '../common/auth.decorators';
import { DorError } from '../common/dor-error';
import { PurposeQuery } from '../common/purpose.dto';
import type { Caller } from '../common/roles';
import { ValidationFailed } from '../common/validation-failed';
import { CATEGORIES } from '../dealers/dealer.entity';
import { DealersService } from '../dealers/dealers.service';
import { DealerListQuery } from '../dealers/dto/dealer.dto';
import { PlaceHoldDto } from '../holds/dto/hold.dto';
import { HoldsService } from '../holds/holds.service';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import {
  CreateStolenReportDto,
  CreateWatchlistDto,
  HitListQuery,
  IDENTIFIER_TYPES,
  SearchItemsQuery,
  StolenReportListQuery,
  TopSellersQuery,
  UpdateHitDto,
} from '../police/dto/police.dto';
import { HIT_STATUSES, type HitStatus } from '../police/hit.entity';
import { HitsService, type HitView } from '../police/hits.service';
import { STOLEN_UPLOAD_LIMIT } from '../police/police.controllers';
import { SearchService } from '../police/search.service';
import {
  StolenReportsService,
  type StolenImportView,
  type StolenReportView,
} from '../police/stolen-reports.service';
import { WATCH_KINDS, type WatchKind } from '../police/watchlist.entity';
import { WatchlistsService } from '../police/watchlists.service';
import { formatEuro, options, parseEuro, toIsoDate } from './acquisition-form';
import {
  addError,
  domainErrorToForm,
  noErrors,
  validateForm,
  portalId,
  type FormErrors,
  type FormSpec,
} from './forms';
import {
  CATEGORY_SINGULAR,
  DISPOSAL_KIND_LABELS,
  formatIsoDate,
  formatShortDateTime,
  IMPORT_STATUS_LABELS,
  violationLabel,
} from './labels';
import { page } from './page';
import {
  ALERT_KIND_LABELS,
  DEALER_REPORT_KIND_LABELS,
  HIT_ACTION_LABELS,
  HIT_SOURCE_LABELS,
  HIT_STATUS_LABELS,
  hitHistory,
  hitRow,
  hitStatusBadge,
  IDENTIFIER_TYPE_LABELS,
  itemSummary,
  TIER_LABELS,
  tierBadge,
  WATCH_KIND_LABELS,
  WATCH_KIND_SHORT,
} from './police-views';
import {
  acquisitionFacts,
  euro,
  identification,
  importErrorRow,
  itemFacts,
  lineStatus,
  sellerFacts,
  versionRows,
} from './register-views';
import { looksBinary, PortalUpload, type UploadedPortalFile, type UploadRequest } from './uploads';

const SEARCH_PAGE_SIZE = 25;
const HITS_PAGE_SIZE = 50;

/** Search form field id → the DTO property it fills (SearchItemsQuery). */
const SEARCH_FIELDS = {
  identificatie: 'identifier',
  tekst: 'q',
  merk: 'brand',
  model: 'model',
  categorie: 'category',
  van: 'from',
  tot: 'to',
  handelaar: 'dealerId',
  gemeente: 'municipalityCode',
  achternaam: 'sellerName',
  geboortedatum: 'sellerDateOfBirth',
  documentnummer: 'sellerDocumentNumber',
} as const;
type SearchField = keyof typeof SEARCH_FIELDS;
const SEARCH_FORM_KEYS = [
  ...(Object.keys(SEARCH_FIELDS) as SearchField[]),
  'reden',
  'zaaknummer',
] as const;

const REASON_MESSAGE =
  'Geef een reden van minstens 10 tekens: waarom zoekt u? De reden komt in het toegangslog.';

const SEARCH_FORM: FormSpec & { codes: Record<string, string> } = {
  fields: {
    ...Object.fromEntries(Object.entries(SEARCH_FIELDS).map(([form, dto]) => [dto, form])),
    reason: 'reden',
    caseNumber: 'zaaknummer',
    page: 'pagina',
  },
  messages: {
    identificatie: 'Vul een nummer in van hoogstens 100 tekens',
    tekst: 'Vul hoogstens 200 tekens in',
    merk: 'Vul hoogstens 100 tekens in',
    model: 'Vul hoogstens 100 tekens in',
    categorie: 'Kies een categorie uit de lijst',
    van: 'Vul een datum in, bijvoorbeeld 31-12-2026',
    tot: 'Vul een datum in, bijvoorbeeld 31-12-2026',
    handelaar: 'Kies een handelaar uit de lijst',
    gemeente: 'Kies een gemeente uit de lijst',
    achternaam: 'Vul minstens 2 letters van de achternaam in',
    geboortedatum: 'Vul een geboortedatum in, bijvoorbeeld 17-05-1980',
    documentnummer: 'Vul het hele documentnummer in (minstens 4 tekens)',
    reden: REASON_MESSAGE,
    zaaknummer: 'Een zaaknummer heeft hoogstens 50 tekens',
    pagina: 'Onbekende pagina',
  },
  codes: {
    IDENTIFIER_TOO_SHORT: 'Een nummer heeft minstens 3 letters of cijfers',
    CRITERION_REQUIRED:
      'Vul minstens één zoekveld in, bijvoorbeeld een nummer, een merk of een achternaam',
    NOT_FOUND: 'Deze handelaar valt buiten uw gebied',
  },
};

const PURPOSE_FORM: FormSpec = {
  fields: { reason: 'reden', caseNumber: 'zaaknummer' },
  messages: { reden: REASON_MESSAGE, zaaknummer: 'Een zaaknummer heeft hoogstens 50 tekens' },
};

const HOLD_FORM: FormSpec & { codes: Record<string, string> } = {
  fields: { caseNumber: 'b-zaaknummer', reason: 'b-reden' },
  messages: {
    'b-zaaknummer': 'Vul het zaaknummer (proces-verbaalnummer) in, minstens 3 tekens',
    'b-reden': 'Geef de reden van de blokkade, minstens 3 tekens',
  },
  codes: {
    ITEM_VOIDED: 'Deze regel is ongeldig gemaakt door de handelaar; een blokkade kan niet.',
    ITEM_DISPOSED:
      'Dit artikel is al verkocht of afgevoerd; een blokkade kan niet meer. Zie de afvoer voor de koper.',
    HOLD_ACTIVE: 'Op deze regel staat al een blokkade voor dit zaaknummer.',
    HOLD_LIFTED: 'Deze blokkade is al opgeheven.',
  },
};

const HIT_FORM: FormSpec & { codes: Record<string, string> } = {
  messages: {
    status: 'Kies wat u met de treffer doet',
    note: 'Een toelichting heeft hoogstens 1000 tekens',
  },
  codes: {
    NOTE_REQUIRED: 'Geef bij afwijzen een toelichting: waarom is het geen gestolen goed?',
    INVALID_TRANSITION: 'Deze treffer is al afgehandeld; de status kan niet meer veranderen.',
    INVALID_STATUS: 'Kies wat u met de treffer doet',
  },
};

const STOLEN_FORM: FormSpec & { codes: Record<string, string> } = {
  messages: {
    caseNumber: 'Vul het zaaknummer (proces-verbaalnummer) in, minstens 3 tekens',
    identifierType: 'Kies het soort nummer',
    identifier: 'Vul het nummer in (minstens 4 letters of cijfers)',
    brand: 'Vul hoogstens 100 tekens in',
    category: 'Kies een categorie uit de lijst',
    description: 'Vul hoogstens 1000 tekens in',
    stolenAt: 'Vul een datum in, bijvoorbeeld 31-12-2026, niet in de toekomst',
  },
  codes: {
    DUPLICATE_REPORT: 'Dit nummer is al aangegeven onder dit zaaknummer',
  },
};

const WATCH_FORM: FormSpec = {
  messages: {
    kind: 'Kies wat u wilt signaleren',
    value: 'Vul het nummer in (minstens 4 letters of cijfers)',
    brand: 'Vul het merk in',
    model: 'Vul hoogstens 100 tekens in',
    note: 'Een toelichting heeft hoogstens 1000 tekens',
  },
};

const TOP_FORM: FormSpec = {
  fields: {
    from: 'van',
    to: 'tot',
    minItems: 'minArtikelen',
    minDealers: 'minHandelaren',
    minTotalCents: 'minTotaal',
    reason: 'reden',
    caseNumber: 'zaaknummer',
  },
  messages: {
    van: 'Vul een datum in, bijvoorbeeld 31-12-2026',
    tot: 'Vul een datum in, bijvoorbeeld 31-12-2026',
    minArtikelen: 'Vul een heel getal van 1 of meer in',
    minHandelaren: 'Vul een heel getal van 1 of meer in',
    minTotaal: 'Vul een bedrag in euro in, bijvoorbeeld 1.000',
    reden: REASON_MESSAGE,
    zaaknummer: 'Een zaaknummer heeft hoogstens 50 tekens',
  },
};

const str = (raw: Record<string, unknown>, k: string): string =>
  typeof raw[k] === 'string' ? raw[k].trim() : '';

function merge(target: FormErrors, more: FormErrors): FormErrors {
  for (const e of more.errors) addError(target, e.field, e.message);
  return target;
}

/**
 * The police and BOA screens (PORTAL.md "Police", "BOA"): Zoeken with a mandatory reason and the
 * line detail (seller only with a reason, holds), Treffers, Gestolen goederen, Signaleringen and
 * Topverkopers. Every rule — purpose binding, scope, matching — lives in the services.
 */
@ApiExcludeController()
@Controller()
export class PortalPoliceController {
  constructor(
    private readonly search: SearchService,
    private readonly hits: HitsService,
    private readonly stolen: StolenReportsService,
    private readonly watchlists: WatchlistsService,
    private readonly acquisitions: AcquisitionsService,
    private readonly holds: HoldsService,
    private readonly dealers: DealersService,
    private readonly municipalities: MunicipalitiesService,
  ) {}

  // -------------------------------------------------------------------------------------------
  // Zoeken

  @Get('zoeken')
  @Roles('police', 'boa')
  async searchPage(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Query() raw: Record<string, unknown>,
  ): Promise<void> {
    const form = Object.fromEntries(SEARCH_FORM_KEYS.map((k) => [k, str(raw, k)])) as Record<
      SearchField | 'reden' | 'zaaknummer',
      string
    >;
    const pagina =
      /^\d{1,5}$/.test(str(raw, 'pagina')) && Number(str(raw, 'pagina')) > 0
        ? Number(str(raw, 'pagina'))
        : 1;
    const submitted = raw.zoek !== undefined || SEARCH_FORM_KEYS.some((k) => form[k] !== '');
    const render = async (status: number, errors: FormErrors, results?: unknown) =>
      res
        .status(status)
        .render('zoeken', await this.searchModel(req, caller, form, errors, results));
    if (!submitted) return render(200, noErrors());

    const errors = noErrors();
    const plain: Record<string, unknown> = {
      page: pagina,
      pageSize: SEARCH_PAGE_SIZE,
      reason: form.reden,
    };
    if (form.zaaknummer) plain.caseNumber = form.zaaknummer;
    for (const [field, prop] of Object.entries(SEARCH_FIELDS) as [SearchField, string][]) {
      let v = form[field];
      if (!v) continue;
      if (field === 'gemeente' && caller.role !== 'police') continue; // BOA: always the own municipality
      if (field === 'van' || field === 'tot' || field === 'geboortedatum') {
        const iso = toIsoDate(v);
        if (!iso) {
          addError(errors, field, SEARCH_FORM.messages[field]);
          continue;
        }
        v = iso;
      }
      plain[prop] = v;
    }
    const { dto, form: invalid } = await validateForm(SearchItemsQuery, plain, SEARCH_FORM);
    merge(errors, invalid);
    if (
      !Object.values(SEARCH_FIELDS).some((p) => plain[p] !== undefined) &&
      !errors.fieldErrors.reden
    ) {
      addError(errors, 'identificatie', SEARCH_FORM.codes.CRITERION_REQUIRED);
    }
    // Without a valid reason nothing is searched (R19).
    if (errors.errors.length) return render(400, errors);
    try {
      const result = await this.search.items(caller, dto);
      const now = new Date();
      const purpose = new URLSearchParams({
        reden: dto.reason,
        ...(dto.caseNumber ? { zaaknummer: dto.caseNumber } : {}),
      }).toString();
      const pages = Math.max(1, Math.ceil(result.total / SEARCH_PAGE_SIZE));
      const query = new URLSearchParams(
        Object.entries(form).filter(([, v]) => v !== ''),
      ).toString();
      const link = (p: number) => `/zoeken?${query}&pagina=${p}`;
      return render(200, noErrors(), {
        total: result.total,
        withTier: result.items.some((r) => r.matchTier),
        rows: result.items.map((r) => ({
          href: `/zoeken/regel/${r.item.id}?${purpose}`,
          registerNumber: r.item.registerNumber,
          tier: r.matchTier ? tierBadge(r.matchTier) : null,
          summary: itemSummary(r.item),
          identification: identification(r.item),
          dealer: r.dealer.name,
          city: r.dealer.city,
          acquiredAt: formatShortDateTime(r.line.acquiredAt),
          status: lineStatus(r.item, now),
        })),
        pager:
          pages > 1
            ? {
                page: pagina,
                pages,
                prev: pagina > 1 ? link(pagina - 1) : null,
                next: pagina < pages ? link(pagina + 1) : null,
              }
            : null,
      });
    } catch (e) {
      return render(
        e instanceof DorError && e.code !== 'NOT_FOUND' ? e.status : 400,
        domainErrorToForm(e, SEARCH_FORM),
      );
    }
  }

  private async searchModel(
    req: RequestWithCaller,
    caller: Caller,
    form: Record<string, string>,
    errors: FormErrors,
    results?: unknown,
  ) {
    const dealers = await this.dealers.list(
      caller,
      Object.assign(new DealerListQuery(), { page: 1, pageSize: 200 }),
    );
    const municipalities = caller.role === 'police' ? await this.municipalities.list() : [];
    const own = caller.municipalityCode
      ? await this.municipalities.find(caller.municipalityCode)
      : null;
    return page(req, 'Zoeken', {
      form,
      isPolice: caller.role === 'police',
      scopeName: own?.name ?? caller.municipalityCode,
      categoryOptions: options(CATEGORIES, CATEGORY_SINGULAR, form.categorie, 'Alle categorieën'),
      dealerOptions: options(
        dealers.items.map((d) => d.id),
        Object.fromEntries(
          dealers.items.map((d) => [d.id, `${d.companyName} (${d.address.city})`]),
        ),
        form.handelaar,
        'Alle handelaren',
      ),
      municipalityOptions: options(
        municipalities.map((m) => m.code),
        Object.fromEntries(municipalities.map((m) => [m.code, m.name])),
        form.gemeente,
        'Alle gemeenten',
      ),
      results,
      ...errors,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Line detail for police and BOA

  @Get('zoeken/regel/:id')
  @Roles('police', 'boa')
  async line(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('id', portalId()) id: string,
    @Query() raw: Record<string, unknown>,
  ): Promise<void> {
    const purpose = { reden: str(raw, 'reden'), zaaknummer: str(raw, 'zaaknummer') };
    let errors = noErrors();
    let withSeller: { reason: string; caseNumber?: string } | undefined;
    if (purpose.reden || raw.reden !== undefined) {
      const { dto, form } = await validateForm(
        PurposeQuery,
        {
          reason: purpose.reden,
          ...(purpose.zaaknummer ? { caseNumber: purpose.zaaknummer } : {}),
        },
        PURPOSE_FORM,
      );
      if (form.errors.length) errors = form;
      else withSeller = { reason: dto.reason, caseNumber: dto.caseNumber };
    }
    res
      .status(errors.errors.length ? 400 : 200)
      .render(
        'zoeken-regel',
        await this.lineModel(req, caller, id, { purpose, withSeller }, errors),
      );
  }

  @Post('zoeken/regel/:id/blokkade')
  @Roles('police')
  async placeHold(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('id', portalId()) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.acquisitions.item(caller, id); // 404 before anything else
    const hold = { zaaknummer: str(body, 'caseNumber'), reden: str(body, 'reason') };
    const { dto, form } = await validateForm(
      PlaceHoldDto,
      { caseNumber: hold.zaaknummer, reason: hold.reden },
      HOLD_FORM,
    );
    let errors = form;
    let status = 400;
    if (!errors.errors.length) {
      try {
        await this.holds.place(caller, id, dto);
        return res.redirect(303, `/zoeken/regel/${id}?melding=blokkade`);
      } catch (e) {
        errors = domainErrorToForm(e, {
          ...HOLD_FORM,
          fields: { ...HOLD_FORM.fields, identifier: 'b-zaaknummer' },
        });
        if (errors.fieldErrors.inhoud)
          errors = addError(noErrors(), 'blokkade', errors.fieldErrors.inhoud);
        status = e instanceof DorError ? e.status : 400;
      }
    }
    res
      .status(status)
      .render('zoeken-regel', await this.lineModel(req, caller, id, { hold }, errors));
  }

  @Post('zoeken/regel/:id/blokkade/:holdId/opheffen')
  @Roles('police')
  async liftHold(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('id', portalId()) id: string,
    @Param('holdId', portalId()) holdId: string,
  ): Promise<void> {
    await this.acquisitions.item(caller, id);
    try {
      await this.holds.lift(caller, id, holdId);
      return res.redirect(303, `/zoeken/regel/${id}?melding=opgeheven`);
    } catch (e) {
      const errors = domainErrorToForm(e, HOLD_FORM);
      res
        .status(e instanceof DorError ? e.status : 400)
        .render(
          'zoeken-regel',
          await this.lineModel(
            req,
            caller,
            id,
            {},
            addError(noErrors(), 'blokkades', errors.errors[0]?.message ?? 'Opheffen kan niet'),
          ),
        );
    }
  }

  private async lineModel(
    req: RequestWithCaller,
    caller: Caller,
    id: string,
    typed: {
      purpose?: { reden: string; zaaknummer: string };
      withSeller?: { reason: string; caseNumber?: string };
      hold?: { zaaknummer: string; reden: string };
    },
    errors: FormErrors,
  ) {
    const found = await this.acquisitions.item(caller, id, typed.withSeller ?? {});
    const { item, acquisition } = found;
    const dealer = await this.dealers.get(caller, found.dealerId);
    const isPolice = caller.role === 'police';
    const now = new Date();
    const holds = (
      (found.holds ?? []) as {
        id: string;
        caseNumber: string;
        reason: string;
        placedAt: string;
        liftedAt: string | null;
        active: boolean;
      }[]
    ).map((h) => ({
      ...h,
      placedAt: formatShortDateTime(h.placedAt),
      liftedAt: h.liftedAt ? formatShortDateTime(h.liftedAt) : '',
    }));
    const hitRows = isPolice ? (await this.hits.ofItem(id)).map((h) => hitRow(h, now)) : [];
    const disposal = item.disposal;
    return page(req, `Regel ${item.registerNumber}`, {
      item,
      heading: `${itemSummary(item)} — ${dealer.companyName}`,
      identification: identification(item),
      status: lineStatus(item, now),
      isPolice,
      dealer,
      itemFacts: itemFacts(item),
      acquisitionFacts: acquisitionFacts(acquisition),
      seller: acquisition.seller ? sellerWithDocument(acquisition) : null,
      sellerShown: Boolean(typed.withSeller),
      purpose: typed.purpose ?? { reden: '', zaaknummer: '' },
      disposal: disposal
        ? {
            kindLabel:
              DISPOSAL_KIND_LABELS[disposal.kind as keyof typeof DISPOSAL_KIND_LABELS] ??
              disposal.kind,
            disposedAt: formatShortDateTime(disposal.disposedAt),
            price: euro(disposal.priceCents),
            buyer: disposal.buyer
              ? [disposal.buyer.name, disposal.buyer.city].filter(Boolean).join(', ')
              : '',
            violations: disposal.violations.map((v) => violationLabel(v, disposal.kind)),
          }
        : null,
      voided: acquisition.voided,
      versions: versionRows(acquisition.versions ?? []),
      holds,
      activeHolds: holds.filter((h) => h.active),
      mayHold: isPolice && !disposal && !acquisition.voided,
      hold: typed.hold ?? { zaaknummer: typed.withSeller?.caseNumber ?? '', reden: '' },
      hits: hitRows,
      ...errors,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Treffers

  @Get('treffers')
  @Roles('police')
  async hitList(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @Query() raw: Record<string, unknown>,
  ): Promise<void> {
    const status = (HIT_STATUSES as readonly string[]).includes(str(raw, 'status'))
      ? (str(raw, 'status') as HitStatus)
      : undefined;
    const tier =
      str(raw, 'soort') === 'exact' || str(raw, 'soort') === 'possible'
        ? (str(raw, 'soort') as 'exact' | 'possible')
        : undefined;
    const pagina =
      /^\d{1,5}$/.test(str(raw, 'pagina')) && Number(str(raw, 'pagina')) > 0
        ? Number(str(raw, 'pagina'))
        : 1;
    const result = await this.hits.list(
      Object.assign(new HitListQuery(), { status, tier, page: pagina, pageSize: HITS_PAGE_SIZE }),
    );
    const now = new Date();
    const filter = (over: Record<string, string>) =>
      `/treffers?${new URLSearchParams({ ...(status ? { status } : {}), ...(tier ? { soort: tier } : {}), ...over }).toString()}`;
    const pages = Math.max(1, Math.ceil(result.total / HITS_PAGE_SIZE));
    const total = Object.values(result.counts.byStatus).reduce((a, b) => a + b, 0);
    res.render(
      'treffers',
      page(req, 'Treffers', {
        rows: result.items.map((h) => hitRow(h, now)),
        total: result.total,
        allTotal: total,
        filtered: Boolean(status || tier),
        tiles: HIT_STATUSES.map((s) => ({
          status: s,
          label: HIT_STATUS_LABELS[s],
          count: result.counts.byStatus[s],
          href: `/treffers?status=${s}`,
          tone: hitStatusBadge(s).tone,
          current: status === s,
        })),
        tierCounts: (['exact', 'possible'] as const).map((t) => ({
          label: TIER_LABELS[t],
          count: result.counts.byTier[t],
          href: `/treffers?soort=${t}`,
        })),
        statusOptions: options(HIT_STATUSES, HIT_STATUS_LABELS, status ?? '', 'Alle statussen'),
        tierOptions: options(['exact', 'possible'], TIER_LABELS, tier ?? '', 'Exact en mogelijk'),
        pager:
          pages > 1
            ? {
                page: pagina,
                pages,
                prev: pagina > 1 ? filter({ pagina: String(pagina - 1) }) : null,
                next: pagina < pages ? filter({ pagina: String(pagina + 1) }) : null,
              }
            : null,
      }),
    );
  }

  @Get('treffers/:id')
  @Roles('police')
  async hit(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @Param('id', portalId()) id: string,
  ): Promise<void> {
    res.render(
      'treffer',
      this.hitModel(req, await this.hits.get(id), { status: '', note: '' }, noErrors()),
    );
  }

  @Post('treffers/:id/status')
  @Roles('police')
  async hitStatus(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('id', portalId()) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const hit = await this.hits.get(id);
    const typed = { status: str(body, 'status'), note: str(body, 'note') };
    const { dto, form } = await validateForm(
      UpdateHitDto,
      { status: typed.status, ...(typed.note ? { note: typed.note } : {}) },
      HIT_FORM,
    );
    let errors = form;
    let status = 400;
    if (!errors.errors.length) {
      try {
        await this.hits.update(caller, id, dto);
        return res.redirect(303, `/treffers/${id}?melding=treffer`);
      } catch (e) {
        errors = domainErrorToForm(e, HIT_FORM);
        status = e instanceof DorError ? e.status : 400;
      }
    }
    res.status(status).render('treffer', this.hitModel(req, hit, typed, errors));
  }

  private hitModel(
    req: RequestWithCaller,
    h: HitView,
    typed: { status: string; note: string },
    errors: FormErrors,
  ) {
    const now = new Date();
    const next: HitStatus[] =
      h.status === 'new' || h.status === 'investigating'
        ? ['investigating', 'confirmed', 'dismissed']
        : [];
    const r = h.stolenReport;
    const dr = h.dealerReport;
    return page(req, 'Treffer', {
      hit: h,
      heading: h.item ? `Regel ${h.item.registerNumber} — ${itemSummary(h.item)}` : h.dealer.name,
      status: hitStatusBadge(h.status),
      tier: tierBadge(h.tier),
      source: HIT_SOURCE_LABELS[h.source],
      createdAt: formatShortDateTime(h.createdAt),
      item: h.item
        ? {
            id: h.item.id,
            facts: itemFacts(h.item),
            identification: identification(h.item),
            status: lineStatus(h.item, now),
            registerNumber: h.item.registerNumber,
            hold: h.item.hold,
          }
        : null,
      stolenFacts: r
        ? [
            { term: 'Zaaknummer', value: r.caseNumber },
            {
              term: IDENTIFIER_TYPE_LABELS[r.identifierType] ?? r.identifierType,
              value: r.identifier,
            },
            ...(r.brand ? [{ term: 'Merk', value: r.brand }] : []),
            ...(r.description ? [{ term: 'Omschrijving', value: r.description }] : []),
            { term: 'Status aangifte', value: r.status === 'active' ? 'Actief' : 'Afgehandeld' },
          ]
        : null,
      dealerReportFacts: dr
        ? [
            {
              term: 'Soort',
              value:
                DEALER_REPORT_KIND_LABELS[dr.kind as keyof typeof DEALER_REPORT_KIND_LABELS] ??
                dr.kind,
            },
            { term: 'Gemeld op', value: formatShortDateTime(dr.createdAt) },
            { term: 'Wat er gebeurde', value: dr.description },
            ...(dr.brand || dr.model
              ? [{ term: 'Merk en model', value: [dr.brand, dr.model].filter(Boolean).join(' ') }]
              : []),
            ...(dr.identifier ? [{ term: 'Nummer', value: dr.identifier }] : []),
          ]
        : null,
      history: hitHistory(h),
      statusChoices: next.map((s) => ({
        value: s,
        label:
          s === 'investigating' && h.status === 'investigating'
            ? 'Notitie toevoegen (blijft in onderzoek)'
            : HIT_ACTION_LABELS[s as Exclude<HitStatus, 'new'>],
        checked: typed.status === s,
      })),
      typed,
      ...errors,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Gestolen goederen

  @Get('gestolen')
  @Roles('police')
  async stolenPage(@Req() req: RequestWithCaller, @Res() res: Response): Promise<void> {
    res.render('gestolen', await this.stolenModel(req, {}, noErrors()));
  }

  @Post('gestolen')
  @Roles('police')
  async stolenCreate(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const typed = Object.fromEntries(
      [
        'caseNumber',
        'identifierType',
        'identifier',
        'brand',
        'category',
        'description',
        'stolenAt',
      ].map((k) => [k, str(body, k)]),
    );
    const errors = noErrors();
    const plain: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(typed)) {
      if (!v && !['caseNumber', 'identifierType', 'identifier'].includes(k)) continue;
      if (k === 'stolenAt') {
        const iso = toIsoDate(v);
        if (!iso) addError(errors, 'stolenAt', STOLEN_FORM.messages.stolenAt);
        else plain.stolenAt = iso;
      } else plain[k] = v;
    }
    const { dto, form } = await validateForm(CreateStolenReportDto, plain, STOLEN_FORM);
    merge(errors, form);
    if (errors.errors.length)
      return res.status(400).render('gestolen', await this.stolenModel(req, typed, errors));
    try {
      const created = await this.stolen.create(caller, dto);
      const now = new Date();
      res.status(201).render(
        'gestolen',
        await this.stolenModel(req, {}, noErrors(), {
          caseNumber: created.caseNumber,
          identifier: created.identifier,
          hits: created.hits.map((h) => hitRow(h, now)),
        }),
      );
    } catch (e) {
      res
        .status(e instanceof DorError ? e.status : 400)
        .render('gestolen', await this.stolenModel(req, typed, domainErrorToForm(e, STOLEN_FORM)));
    }
  }

  @Post('gestolen/upload')
  @Roles('police')
  @UseInterceptors(PortalUpload(STOLEN_UPLOAD_LIMIT))
  async stolenUpload(
    @Req() req: UploadRequest,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @UploadedFile() file: UploadedPortalFile | undefined,
  ): Promise<void> {
    const refuse = async (status: number, message: string) =>
      res
        .status(status)
        .render('gestolen', await this.stolenModel(req, {}, addError(noErrors(), 'file', message)));
    if (req.uploadError === 'too_large')
      return refuse(413, 'Het bestand is groter dan 32 MB. Splits het in kleinere bestanden.');
    if (req.uploadError || !file)
      return refuse(400, 'Kies een CSV- of JSON-bestand om te uploaden');
    if (!file.size) return refuse(400, 'Het bestand is leeg.');
    if (looksBinary(file.buffer))
      return refuse(
        400,
        'Dit is geen CSV- of JSON-bestand. Sla het op als CSV (UTF-8) of JSON en probeer het opnieuw.',
      );
    const job = await this.stolen.enqueue(caller, file.originalname, file.buffer.toString('utf8'));
    res.redirect(303, `/gestolen/upload/${job.id}`);
  }

  @Get('gestolen/upload/:id')
  @Roles('police')
  async stolenJob(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @Param('id', portalId()) id: string,
  ): Promise<void> {
    const job = await this.stolen.job(id);
    const busy = job.status === 'queued' || job.status === 'running';
    res.render(
      'gestolen-upload',
      page(req, `Upload ${job.fileName}`, {
        job: jobRow(job),
        busy,
        refreshSeconds: busy ? 2 : undefined,
        progressLabel: job.total
          ? `${job.processed} van ${job.total} aangiften verwerkt`
          : busy
            ? 'Het bestand wordt gelezen'
            : '',
        importErrors: job.errors.slice(0, 200).map(importErrorRow),
        moreErrors: Math.max(0, job.errors.length - 200),
      }),
    );
  }

  @Post('gestolen/:id/afgehandeld')
  @Roles('police')
  async stolenResolve(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('id', portalId()) id: string,
  ): Promise<void> {
    try {
      await this.stolen.resolve(caller, id);
      res.redirect(303, '/gestolen?melding=afgehandeld');
    } catch (e) {
      if (e instanceof DorError && e.code === 'ALREADY_RESOLVED')
        return res.redirect(303, '/gestolen?melding=afgehandeld');
      throw e;
    }
  }

  private async stolenModel(
    req: RequestWithCaller,
    typed: Record<string, string>,
    errors: FormErrors,
    created?: { caseNumber: string; identifier: string; hits: ReturnType<typeof hitRow>[] },
  ) {
    const reports = await this.stolen.list(
      Object.assign(new StolenReportListQuery(), { page: 1, pageSize: 25 }),
    );
    const jobs = await this.stolen.recentJobs(5);
    return page(req, 'Gestolen goederen', {
      form: typed,
      created,
      identifierTypeOptions: options(
        IDENTIFIER_TYPES,
        IDENTIFIER_TYPE_LABELS,
        typed.identifierType ?? '',
        'Kies het soort nummer',
      ),
      categoryOptions: options(
        CATEGORIES,
        CATEGORY_SINGULAR,
        typed.category ?? '',
        'Onbekend of overig',
      ),
      reports: reports.items.map(reportRow),
      reportTotal: reports.total,
      jobs: jobs.map(jobRow),
      fileError: errors.fieldErrors.file,
      ...errors,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Signaleringen

  @Get('signaleringen')
  @Roles('police')
  async watchPage(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
  ): Promise<void> {
    res.render('signaleringen', await this.watchModel(req, caller, {}, noErrors()));
  }

  @Post('signaleringen')
  @Roles('police')
  async watchCreate(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const typed = Object.fromEntries(
      ['kind', 'value', 'brand', 'model', 'note'].map((k) => [k, str(body, k)]),
    );
    const kind = typed.kind as WatchKind;
    const plain: Record<string, unknown> = { kind };
    if (kind === 'brand_model') {
      if (typed.brand) plain.brand = typed.brand;
      if (typed.model) plain.model = typed.model;
    } else if (typed.value) plain.value = typed.value;
    if (typed.note) plain.note = typed.note;
    const { dto, form } = await validateForm(CreateWatchlistDto, plain, WATCH_FORM);
    let errors = form;
    if (!errors.errors.length && kind === 'brand_model' && !dto.brand)
      errors = addError(noErrors(), 'brand', WATCH_FORM.messages.brand);
    if (!errors.errors.length && kind !== 'brand_model' && !dto.value)
      errors = addError(noErrors(), 'value', WATCH_FORM.messages.value);
    if (!errors.errors.length) {
      try {
        await this.watchlists.create(caller, dto);
        return res.redirect(303, '/signaleringen?melding=signalering');
      } catch (e) {
        if (!(e instanceof ValidationFailed)) throw e;
        errors = noErrors();
        for (const p of e.problems)
          addError(errors, p.path, WATCH_FORM.messages[p.path] ?? 'Controleer dit veld');
      }
    }
    res.status(400).render('signaleringen', await this.watchModel(req, caller, typed, errors));
  }

  @Post('signaleringen/:id/beeindigen')
  @Roles('police')
  async watchEnd(
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('id', portalId()) id: string,
  ): Promise<void> {
    try {
      await this.watchlists.end(caller, id);
    } catch (e) {
      if (!(e instanceof DorError && e.code === 'ALREADY_ENDED')) throw e;
    }
    res.redirect(303, '/signaleringen?melding=beeindigd');
  }

  private async watchModel(
    req: RequestWithCaller,
    caller: Caller,
    typed: Record<string, string>,
    errors: FormErrors,
  ) {
    const lists = await this.watchlists.list(caller);
    const alerts = await this.watchlists.alertsFor(caller, { page: 1, pageSize: 50 });
    const kind = (WATCH_KINDS as readonly string[]).includes(typed.kind ?? '')
      ? typed.kind
      : 'identifier';
    return page(req, 'Signaleringen', {
      form: typed,
      kindChoices: WATCH_KINDS.map((k) => ({
        value: k,
        label: WATCH_KIND_LABELS[k],
        checked: k === kind,
      })),
      watchlists: lists.map((w) => ({
        ...w,
        kindLabel: WATCH_KIND_SHORT[w.kind],
        createdAt: formatShortDateTime(w.createdAt),
        endedAt: w.endedAt ? formatShortDateTime(w.endedAt) : '',
      })),
      activeCount: lists.filter((w) => w.active).length,
      alerts: alerts.items.map((a) => ({
        ...a,
        kindLabel: ALERT_KIND_LABELS[a.kind] ?? a.kind,
        tone: a.kind === 'exact_hit' || a.kind === 'hold_disposal' ? 'stop' : 'wait',
        createdAt: formatShortDateTime(a.createdAt),
        href: a.hitId ? `/treffers/${a.hitId}` : a.itemId ? `/zoeken/regel/${a.itemId}` : null,
      })),
      alertTotal: alerts.total,
      ...errors,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Topverkopers

  @Get('topverkopers')
  @Roles('police')
  async topSellers(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Query() raw: Record<string, unknown>,
  ): Promise<void> {
    const keys = [
      'van',
      'tot',
      'minArtikelen',
      'minHandelaren',
      'minTotaal',
      'reden',
      'zaaknummer',
    ];
    const typed = Object.fromEntries(keys.map((k) => [k, str(raw, k)]));
    const submitted = raw.zoek !== undefined || keys.some((k) => typed[k] !== '');
    const model = (errors: FormErrors, results?: unknown) =>
      page(req, 'Topverkopers', {
        form: submitted ? typed : { minArtikelen: '10', minHandelaren: '2' },
        results,
        ...errors,
      });
    if (!submitted) return res.render('topverkopers', model(noErrors()));
    const errors = noErrors();
    const plain: Record<string, unknown> = { reason: typed.reden, page: 1, pageSize: 100 };
    if (typed.zaaknummer) plain.caseNumber = typed.zaaknummer;
    for (const [field, prop] of [
      ['van', 'from'],
      ['tot', 'to'],
    ] as const) {
      if (!typed[field]) continue;
      const iso = toIsoDate(typed[field]);
      if (iso) plain[prop] = iso;
      else addError(errors, field, TOP_FORM.messages[field]);
    }
    for (const [field, prop] of [
      ['minArtikelen', 'minItems'],
      ['minHandelaren', 'minDealers'],
    ] as const) {
      if (typed[field])
        plain[prop] = /^\d{1,9}$/.test(typed[field]) ? Number(typed[field]) : typed[field];
    }
    if (typed.minTotaal) {
      const cents = parseEuro(typed.minTotaal);
      if (cents === null) addError(errors, 'minTotaal', TOP_FORM.messages.minTotaal);
      else plain.minTotalCents = cents;
    }
    const { dto, form } = await validateForm(TopSellersQuery, plain, TOP_FORM);
    merge(errors, form);
    if (errors.errors.length) return res.status(400).render('topverkopers', model(errors));
    const result = await this.search.topSellers(caller, dto);
    res.render(
      'topverkopers',
      model(noErrors(), {
        total: result.total,
        rows: result.items.map((s) => ({
          name: s.name ?? '(onbekend)',
          dateOfBirth: formatIsoDate(s.dateOfBirth),
          city: s.city ?? '',
          document: s.documentLast4 ? `…${s.documentLast4}` : '',
          items: s.items,
          dealers: s.dealers,
          total: `€ ${formatEuro(s.totalCents)}`,
          lastAcquiredAt: formatShortDateTime(s.lastAcquiredAt),
          dealerNames: s.dealerNames.join(', '),
        })),
      }),
    );
  }
}

/** The seller as police and BOA see it with a reason (R20): with the full document number. */
function sellerWithDocument(a: AcquisitionView) {
  const facts = sellerFacts(a);
  const number = (a.seller?.idDocument as { number?: string | null } | undefined)?.number;
  if (number) facts.push({ term: 'Documentnummer', value: number });
  return facts;
}

function reportRow(r: StolenReportView) {
  return {
    id: r.id,
    caseNumber: r.caseNumber,
    identifier: `${IDENTIFIER_TYPE_LABELS[r.identifierType] ?? r.identifierType} ${r.identifier}`,
    what: [
      r.category ? CATEGORY_SINGULAR[r.category as keyof typeof CATEGORY_SINGULAR] : '',
      r.brand,
      r.description,
    ]
      .filter(Boolean)
      .join(' — '),
    createdAt: formatShortDateTime(r.createdAt),
    active: r.status === 'active',
    resolvedAt: r.resolvedAt ? formatShortDateTime(r.resolvedAt) : '',
  };
}

function jobRow(j: StolenImportView) {
  return {
    id: j.id,
    fileName: j.fileName,
    status: j.status,
    statusText: IMPORT_STATUS_LABELS[j.status],
    createdAt: formatShortDateTime(j.createdAt),
    finishedAt: j.finishedAt ? formatShortDateTime(j.finishedAt) : '',
    total: j.total,
    processed: j.processed,
    created: j.created,
    duplicates: j.duplicates,
    hits: j.hits,
    errorCount: j.errors.length,
  };
}
