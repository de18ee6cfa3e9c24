import { BadRequestException } from '@nestjs/common';

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
