import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles, type RequestWithCaller } from '../common/auth.decorators';
import { DorError } from '../common/dor-error';
import type { Caller, Role } from '../common/roles';
import {
  CreateMunicipalityDto,
  UpdateMunicipalityDto,
} from '../municipalities/dto/municipality.dto';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { CreateUserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { DealersService } from '../dealers/dealers.service';
import {
  addError,
  domainErrorToForm,
  noErrors,
  validateForm,
  portalId,
  type FormErrors,
  type FormSpec,
} from './forms';
import { ROLE_LABELS } from './labels';
import { page } from './page';

const CREATABLE: Partial<Record<Role, Role[]>> = {
  admin: ['police', 'municipality', 'boa', 'admin', 'dealer', 'dealer_staff'],
  municipality: ['boa', 'municipality'],
  dealer: ['dealer_staff'],
};

const USER_FORM: FormSpec & { codes: Record<string, string> } = {
  messages: {
    name: 'Vul de naam in',
    email: 'Vul een geldig e-mailadres in',
    password: 'Kies een wachtwoord van minstens 12 tekens',
    role: 'Kies een rol',
    municipalityCode: 'Kies de gemeente van deze gebruiker',
    dealerId: 'Kies de opkoper van deze gebruiker',
  },
  codes: {
    EMAIL_TAKEN: 'Er bestaat al een account met dit e-mailadres',
    AFFILIATION: 'Deze rol hoort bij een gemeente of opkoper: kies die',
  },
};

const SETTINGS_FORM: FormSpec = {
  messages: {
    code: 'Vul een CBS-code in: GM en 4 cijfers',
    name: 'Vul de naam van de gemeente in',
    holdingPeriodWorkingDays: 'Een bewaartermijn van 0 tot en met 30 werkdagen',
    registrationDeadlineHours: 'Een termijn van 1 tot en met 720 uur',
    minimumSellerAge: 'Een leeftijd van 16 tot en met 99 jaar',
    retentionYears: 'Een bewaartermijn van 1 tot en met 20 jaar',
  },
};

const SETTING_FIELDS = [
  'holdingPeriodWorkingDays',
  'registrationDeadlineHours',
  'minimumSellerAge',
  'retentionYears',
] as const;

function toInt(v: unknown): unknown {
  return typeof v === 'string' && /^-?\d+$/.test(v.trim())
    ? Number(v.trim())
    : v === ''
      ? undefined
      : v;
}

/** Users (Gebruikers / Medewerkers) and municipalities (Gemeenten) in the portal. */
@ApiExcludeController()
@Controller()
export class PortalAdminController {
  constructor(
    private readonly users: UsersService,
    private readonly municipalities: MunicipalitiesService,
    private readonly dealers: DealersService,
  ) {}

  @Get('gebruikers')
  @Roles('admin', 'municipality', 'dealer')
  async usersPage(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
  ) {
    res.render('users', await this.usersModel(req, caller, {}, noErrors()));
  }

  @Post('gebruikers')
  @Roles('admin', 'municipality', 'dealer')
  async createUser(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Body() body: Record<string, unknown>,
  ) {
    const str = (k: string) =>
      typeof body[k] === 'string' && body[k] !== '' ? body[k] : undefined;
    const plain = {
      name: str('name') ?? '',
      email: str('email') ?? '',
      password: str('password') ?? '',
      role: str('role') ?? '',
      municipalityCode: str('municipalityCode'),
      dealerId: str('dealerId'),
    };
    const { dto, form } = await validateForm(CreateUserDto, plain, USER_FORM);
    if (!form.errors.length) {
      try {
        await this.users.create(caller, dto);
        return res.redirect(303, '/gebruikers?melding=gebruiker');
      } catch (e) {
        if (e instanceof DorError && e.status === 403)
          addError(form, 'role', 'U mag deze gebruiker niet aanmaken');
        else if (e instanceof DorError && e.code === 'NOT_FOUND')
          addError(
            form,
            plain.dealerId ? 'dealerId' : 'municipalityCode',
            USER_FORM.messages[plain.dealerId ? 'dealerId' : 'municipalityCode'],
          );
        else Object.assign(form, domainErrorToForm(e, USER_FORM));
      }
    }
    res
      .status(400)
      .render('users', await this.usersModel(req, caller, { ...plain, password: '' }, form));
  }

  @Post('gebruikers/:id/actief')
  @Roles('admin', 'municipality', 'dealer')
  async setActive(
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('id', portalId()) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const active = body.active === 'true';
    await this.users.update(caller, id, { active });
    res.redirect(303, `/gebruikers?melding=${active ? 'ingeschakeld' : 'uitgeschakeld'}`);
  }

  @Get('gemeenten')
  @Roles('admin', 'municipality')
  async municipalitiesPage(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
  ) {
    res.render('municipalities', await this.municipalitiesModel(req, caller, {}, noErrors(), null));
  }

  @Post('gemeenten')
  @Roles('admin')
  async createMunicipality(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Body() body: Record<string, unknown>,
  ) {
    const plain: Record<string, unknown> = { code: body.code ?? '', name: body.name ?? '' };
    for (const f of SETTING_FIELDS) if (toInt(body[f]) !== undefined) plain[f] = toInt(body[f]);
    const { dto, form } = await validateForm(CreateMunicipalityDto, plain, SETTINGS_FORM);
    if (!form.errors.length) {
      try {
        await this.municipalities.create(dto);
        return res.redirect(303, '/gemeenten?melding=instellingen');
      } catch (e) {
        Object.assign(
          form,
          domainErrorToForm(e, {
            ...SETTINGS_FORM,
            messages: { ...SETTINGS_FORM.messages, code: 'Deze gemeente bestaat al' },
          }),
        );
      }
    }
    res
      .status(400)
      .render('municipalities', await this.municipalitiesModel(req, caller, body, form, 'new'));
  }

  @Post('gemeenten/:code')
  @Roles('admin', 'municipality')
  async updateMunicipality(
    @Req() req: RequestWithCaller,
    @Res() res: Response,
    @CurrentUser() caller: Caller,
    @Param('code') code: string,
    @Body() body: Record<string, unknown>,
  ) {
    const plain: Record<string, unknown> = {};
    for (const f of SETTING_FIELDS) plain[f] = toInt(body[f]);
    if (caller.role === 'admin' && typeof body.name === 'string') plain.name = body.name;
    const { dto, form } = await validateForm(UpdateMunicipalityDto, plain, SETTINGS_FORM);
    if (!form.errors.length) {
      await this.municipalities.update(caller, code, dto); // 403/404 for another municipality
      return res.redirect(303, '/gemeenten?melding=instellingen');
    }
    res
      .status(400)
      .render('municipalities', await this.municipalitiesModel(req, caller, body, form, code));
  }

  private async usersModel(
    req: RequestWithCaller,
    caller: Caller,
    form: Record<string, unknown>,
    errors: FormErrors,
  ) {
    const list = await this.users.list(caller, { page: 1, pageSize: 200 });
    const municipalities = await this.municipalities.list();
    const names = new Map(municipalities.map((m) => [m.code, m.name]));
    const dealers =
      caller.role === 'admin'
        ? (await this.dealers.list(caller, { page: 1, pageSize: 200 })).items
        : [];
    const dealerNames = new Map(dealers.map((d) => [d.id, d.companyName]));
    return page(req, caller.role === 'dealer' ? 'Medewerkers' : 'Gebruikers', {
      users: list.items.map((u) => ({
        ...u,
        self: u.id === caller.id,
        affiliation: u.municipalityCode
          ? names.get(u.municipalityCode)
          : u.dealerId
            ? (dealerNames.get(u.dealerId) ?? '')
            : '',
      })),
      total: list.total,
      roleOptions: (CREATABLE[caller.role] ?? []).map((r) => ({
        value: r,
        label: ROLE_LABELS[r],
        selected: form.role === r,
      })),
      municipalityOptions:
        caller.role === 'admin'
          ? municipalities.map((m) => ({
              value: m.code,
              label: m.name,
              selected: form.municipalityCode === m.code,
            }))
          : [],
      dealerOptions: dealers.map((d) => ({
        value: d.id,
        label: d.companyName,
        selected: form.dealerId === d.id,
      })),
      isAdmin: caller.role === 'admin',
      form,
      ...errors,
    });
  }

  private async municipalitiesModel(
    req: RequestWithCaller,
    caller: Caller,
    form: Record<string, unknown>,
    errors: FormErrors,
    editing: string | null,
  ) {
    const all = await this.municipalities.list();
    const visible =
      caller.role === 'admin' ? all : all.filter((m) => m.code === caller.municipalityCode);
    return page(req, caller.role === 'admin' ? 'Gemeenten' : 'Instellingen van de gemeente', {
      municipalities: visible.map((m) => ({
        ...m,
        values: editing === m.code ? { ...m, ...form } : m,
        errors: editing === m.code ? errors.fieldErrors : {},
      })),
      isAdmin: caller.role === 'admin',
      newForm: editing === 'new' ? form : {},
      newErrors: editing === 'new' ? errors.fieldErrors : {},
      ...(editing ? { errors: errors.errors } : {}),
    });
  }
}
