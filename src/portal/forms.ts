import { ParseUUIDPipe } from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { DorError } from '../common/dor-error';
import type { FieldProblem } from '../common/validation-failed';

export interface FormErrors {
  /** For the summary at the top: each links to its field. */
  errors: { field: string; message: string }[];
  /** For the message next to each field. */
  fieldErrors: Record<string, string>;
}

export interface FormSpec {
  /** DTO property path (e.g. "address.street") → form field id, where they differ. */
  fields?: Record<string, string>;
  /** Form field id → the Dutch message shown when that field is wrong. */
  messages: Record<string, string>;
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    return e.children?.length ? flatten(e.children, path) : [path];
  });
}

export function noErrors(): FormErrors {
  return { errors: [], fieldErrors: {} };
}

export function addError(target: FormErrors, field: string, message: string): FormErrors {
  if (!target.fieldErrors[field]) {
    target.fieldErrors[field] = message;
    target.errors.push({ field, message });
  }
  return target;
}

/** Validates a form with the same DTO (and rules) as the API; Dutch messages per field. */
export async function validateForm<T extends object>(
  cls: ClassConstructor<T>,
  plain: object,
  spec: FormSpec,
): Promise<{ dto: T; form: FormErrors }> {
  const dto = plainToInstance(cls, plain);
  const result = noErrors();
  for (const path of flatten(
    await validate(dto, { whitelist: true, forbidNonWhitelisted: true }),
  )) {
    const field = spec.fields?.[path] ?? path.split('.')[0];
    addError(result, field, spec.messages[field] ?? 'Controleer dit veld');
  }
  return { dto, form: result };
}

/** A domain error that points at a field becomes a field error; anything else is rethrown. */
export function domainErrorToForm(
  e: unknown,
  spec: FormSpec & { codes?: Record<string, string> },
): FormErrors {
  if (e instanceof DorError && e.status < 500) {
    // An error without a field links to the top of the main content.
    const field = e.field ? (spec.fields?.[e.field] ?? e.field) : 'inhoud';
    // Never the service's English text on a Dutch page: a field without its own message gets a general one.
    return addError(
      noErrors(),
      field,
      spec.codes?.[e.code] ?? spec.messages[field] ?? 'Controleer dit veld',
    );
  }
  throw e;
}

/**
 * Validates a plain body with a DTO (the API's rules) and reports every failing field as a problem
 * with the request path ("items[1].imei"), as the services report theirs.
 */
export async function dtoProblems<T extends object>(
  cls: ClassConstructor<T>,
  plain: object,
): Promise<{ dto: T; problems: FieldProblem[] }> {
  const dto = plainToInstance(cls, plain);
  const problems = flatten(
    await validate(dto, { whitelist: true, forbidNonWhitelisted: true }),
  ).map((path) => ({
    path: path.replace(/\.(\d+)(?=\.|$)/g, '[$1]'),
    code: 'INVALID_FIELD',
    message: `${path} is invalid`,
  }));
  return { dto, problems };
}

/** A portal page's id from the URL: anything that is not a UUID is "Niet gevonden" (404), like an unknown one. */
export const portalId = () => new ParseUUIDPipe({ errorHttpStatusCode: 404 });
