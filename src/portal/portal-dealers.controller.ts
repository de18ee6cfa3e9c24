import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Public, Roles, type RequestWithCaller } from '../common/auth.decorators';
import { DorError } from '../common/dor-error';
import type { Caller } from '../common/roles';
import { ALLOWED_TRANSITIONS, STATUS_LABELS } from '../dealers/dealer-status';
import { CATEGORIES, DEALER_STATUSES, type DealerStatus } from '../dealers/dealer.entity';
import { DealersRepository } from '../dealers/dealers.repository';
import { DealersService } from '../dealers/dealers.service';
import { ChangeStatusDto, DealerApplicationDto, DealerListQuery } from '../dealers/dto/dealer.dto';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { dealerScopeOf } from '../dealers/dealer-scope';
import { domainErrorToForm, validateForm, portalId, type FormSpec } from './forms';
import { CATEGORY_LABELS } from './labels';
import { page, startPageOf } from './page';

const APPLICATION_FORM: FormSpec & { codes: Record<string, string> } = {
  fields: {
    'address.street': 'street',
    'address.houseNumber': 'houseNumber',
    'address.postalCode': 'postalCode',
    'address.city': 'city',
    'contact.name': 'contactName',
    'contact.email': 'contactEmail',
    'contact.password': 'contactPassword',
    email: 'contactEmail',
  },
  messages: {
    companyName: 'Vul de bedrijfsnaam in',
    kvkNumber: 'Vul een KvK-nummer van 8 cijfers in',
    street: 'Vul de straat in',
    houseNumber: 'Vul het huisnummer in',
    postalCode: 'Vul een postcode in zoals 9501 AB',
    city: 'Vul de plaats in',
    municipalityCode: 'Kies de gemeente waar uw bedrijf gevestigd is',
    categories: 'Kies minstens één soort goederen',
    contactName: 'Vul de naam van de contactpersoon in',
    contactEmail: 'Vul een geldig e-mailadres in',
    contactPassword: 'Kies een wachtwoord van minstens 12 tekens',
  },
  codes: {
    KVK_TAKEN:
      'Dit KvK-nummer is al aangemeld. Neem contact op met de gemeente als dat niet klopt.',
    EMAIL_TAKEN: 'Er bestaat al een account met dit e-mailadres',
    UNKNOWN_MUNICIPALITY: 'Deze gemeente doet (nog) niet mee aan het register',
  },
};

const STATUS_FORM: FormSpec = {
  messages: { status: 'Kies de nieuwe status', reason: 'Geef een reden van minstens 3 tekens' },
};

const TRANSITION_LABELS: Record<DealerStatus, string> = {
  active: 'Goedkeuren / activeren',
  rejected: 'Afwijzen',
  suspended: 'Schorsen',
  closed: 'Beëindigen',
  pending: 'Aangevraagd',
};

type ApplicationForm = Record<string, string | string[] | undefined>;

/** The public application form and the dealer screens of municipality, BOA, police and admin. */
@ApiExcludeController()
@Controller()
export class PortalDealersController {
  constructor(
    private readonly dealers: DealersService,
    private readonly dealersRepo: DealersRepository,
    private readonly municipalities: MunicipalitiesService,
  ) {}

  @Get('aanmelden')
  @Public()
  async applyPage(@Req() req: RequestWithCaller, @Res() res: Response): Promise<void> {
    // A signed-in user does not apply for a company from within an account: back to its start page.
    if (req.user) return res.redirect(303, startPageOf(req.user));
    res.render('apply', await this.applyModel(req, {}, {}));
  }

  @Post('aanmelden')
  @Public()
  async apply(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @Body() body: ApplicationForm,
  ): Promise<void> {
    if (req.user) return res.redirect(303, startPageOf(req.user));
    const s = (k: string) => (typeof body[k] === 'string' ? body[k] : '');
    const categories = ([] as unknown[])
      .concat(body.categories ?? [])
      .filter((c): c is string => typeof c === 'string');
    const plain = {
      companyName: s('companyName'),
      kvkNumber: s('kvkNumber'),
      address: {
        street: s('street'),
        houseNumber: s('houseNumber'),
        postalCode: s('postalCode'),
        city: s('city'),
      },
      municipalityCode: s('municipalityCode'),
      categories,
      contact: { name: s('contactName'), email: s('contactEmail'), password: s('contactPassword') },
    };
    const { dto, form } = await validateForm(DealerApplicationDto, plain, APPLICATION_FORM);
    const model = { ...body, categories };
    if (form.errors.length) {
      res.status(400).render('apply', await this.applyModel(req, model, form));
      return;
    }
    try {
      await this.dealers.apply(dto);
    } catch (e) {
      res
        .status(e instanceof DorError ? e.status : 400)
        .render('apply', await this.applyModel(req, model, domainErrorToForm(e, APPLICATION_FORM)));
      return;
    }
    const municipality = await this.municipalities.get(dto.municipalityCode);
    res.render(
      'apply-done',
      page(req, 'Aanmelding ontvangen', {
        companyName: dto.companyName,
        municipalityName: municipality.name,
      }),
    );
  }

  @Get('handelaren')
  @Roles('police', 'boa', 'municipality', 'admin')
  async list(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Query() query: DealerListQuery,
  ) {
    const result = await this.dealers.list(caller, query);
    const names = await this.municipalityNames();
    const counts = new Map(
      (await this.dealersRepo.countByStatus(dealerScopeOf(caller))).map((c) => [c.status, c.count]),
    );
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    const link = (p: number) =>
      `/handelaren?${new URLSearchParams({ ...(query.status ? { status: query.status } : {}), ...(query.q ? { q: query.q } : {}), page: String(p) }).toString()}`;
    res.render(
      'dealers',
      page(req, caller.role === 'municipality' ? 'Handelaren in uw gemeente' : 'Handelaren', {
        query,
        page: {
          ...result,
          items: result.items.map((d) => ({
            ...d,
            municipalityName: names.get(d.municipalityCode),
          })),
        },
        statusOptions: DEALER_STATUSES.map((s) => ({
          value: s,
          label: STATUS_LABELS[s],
          selected: query.status === s,
          count: counts.get(s),
        })),
        pendingCount:
          caller.role === 'municipality' && query.status !== 'pending'
            ? counts.get('pending')
            : undefined,
        pager:
          pages > 1
            ? {
                pages,
                prev: result.page > 1 ? link(result.page - 1) : null,
                next: result.page < pages ? link(result.page + 1) : null,
              }
            : null,
      }),
    );
  }

  @Get('handelaren/:id')
  @Roles('police', 'boa', 'municipality', 'admin')
  async detail(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('id', portalId()) id: string,
  ) {
    res.render(
      'dealer',
      await this.dealerModel(req, caller, id, {}, { errors: [], fieldErrors: {} }),
    );
  }

  @Post('handelaren/:id/status')
  @Roles('municipality', 'admin')
  async changeStatus(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('id', portalId()) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const plain = {
      status: body.status,
      reason: typeof body.reason === 'string' ? body.reason : '',
    };
    const { dto, form } = await validateForm(ChangeStatusDto, plain, STATUS_FORM);
    if (!form.errors.length) {
      try {
        await this.dealers.changeStatus(caller, id, dto);
        return res.redirect(303, `/handelaren/${id}?melding=status`);
      } catch (e) {
        if (e instanceof DorError && e.code === 'NOT_FOUND') throw e;
        const err = domainErrorToForm(e, {
          messages: { status: 'Deze statuswijziging is niet mogelijk', ...STATUS_FORM.messages },
        });
        form.errors.push(...err.errors);
        Object.assign(form.fieldErrors, err.fieldErrors);
      }
    }
    res.status(400).render('dealer', await this.dealerModel(req, caller, id, plain, form));
  }

  @Get('bedrijf')
  @Roles('dealer', 'dealer_staff')
  async ownCompany(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
  ) {
    res.render(
      'dealer',
      await this.dealerModel(
        req,
        caller,
        caller.dealerId ?? '',
        {},
        { errors: [], fieldErrors: {} },
      ),
    );
  }

  private async dealerModel(
    req: RequestWithCaller,
    caller: Caller,
    id: string,
    formValues: Record<string, unknown>,
    form: { errors: unknown[]; fieldErrors: Record<string, string> },
  ) {
    const dealer = await this.dealers.get(caller, id);
    const municipality = await this.municipalities.get(dealer.municipalityCode);
    const mayChange = caller.role === 'admin' || caller.role === 'municipality';
    const own = caller.dealerId === dealer.id;
    return page(req, own ? 'Bedrijfsgegevens' : dealer.companyName, {
      dealer,
      ownDealer: own,
      municipalityName: municipality.name,
      transitions: mayChange
        ? ALLOWED_TRANSITIONS[dealer.status].map((s) => ({
            value: s,
            label: TRANSITION_LABELS[s],
            checked: formValues.status === s,
          }))
        : [],
      form: formValues,
      ...form,
    });
  }

  private async applyModel(req: RequestWithCaller, form: Record<string, unknown>, errors: object) {
    const chosen = Array.isArray(form.categories) ? (form.categories as string[]) : [];
    return page(req, 'Aanmelden als opkoper', {
      form,
      ...errors,
      municipalities: await this.municipalities.list(),
      categoryOptions: CATEGORIES.map((c) => ({
        value: c,
        label: CATEGORY_LABELS[c],
        checked: chosen.includes(c),
      })),
    });
  }

  private async municipalityNames(): Promise<Map<string, string>> {
    return new Map((await this.municipalities.list()).map((m) => [m.code, m.name]));
  }
}
