import { BadRequestException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

export interface FieldProblem {
  path: string;
  code: string;
  message: string;
}

/** 400 in the documented shape, with every broken rule: message[] for people, problems[] for software. */
export class ValidationFailed extends BadRequestException {
  constructor(readonly problems: FieldProblem[]) {
    super({
      statusCode: 400,
      message: problems.map((p) => p.message),
      error: 'Bad Request',
      code: problems.length === 1 ? problems[0].code : 'VALIDATION_FAILED',
      problems,
    });
  }
}

/** class-validator's errors as problems with the request path ("items[1].imei"), every broken constraint. */
export function validationProblems(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const path = prefix
      ? /^\d+$/.test(e.property)
        ? `${prefix}[${e.property}]`
        : `${prefix}.${e.property}`
      : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      path,
      code: 'INVALID_FIELD',
      message,
    }));
    return [...own, ...validationProblems(e.children ?? [], path)];
  });
}
