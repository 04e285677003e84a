import { Body, Controller, HttpCode, HttpException, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SECTORS } from '@ruta/contracts';
import { Roles } from '@ruta/auth';
import { ApiProblems, PROBLEM_SCHEMA } from '@ruta/platform';
import { LIVE_RULE_SETS } from '@ruta/routing';
import type { AuditWhatIfReport } from '../../what-if/run-what-if';
import { WhatIfQuery } from './what-if.query';
import { WhatIfRequest } from './what-if.request';

const TOO_LONG = {
  type: 'urn:ruta:problem:audit.what-if-too-long',
  title: 'history too long for one request',
  status: 422,
  detail:
    'the audit log holds more intake events than one request replays (RUTA_AUDIT_WHAT_IF_MAX_EVENTS); ' +
    'run npm run audit -- what-if instead',
};

const REPORT_EXAMPLE: AuditWhatIfReport = {
  baseline: 'default-v1',
  candidate: 'default-v2-draft',
  sectors: [...SECTORS],
  events: 1041,
  people: 212,
  decisions: { baseline: 1387, candidate: 1393 },
  changed: 6,
  rules: [
    {
      sector: 'health',
      rule: 'child-health',
      changed: 6,
      onlyBaseline: 0,
      onlyCandidate: 6,
      differs: { outcome: 0, priority: 0, legalBasis: 0 },
      examples: [
        {
          personId: 'p-7f3a9c2e41b8',
          eventId: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b',
          referralType: 'child-health',
          change: 'only-candidate',
        },
      ],
    },
  ],
  through: '2417',
  unreadable: 0,
};

/**
 * What-if for auditors: the history replayed through another rule-set version of the repo, and
 * the routing decisions that would change, per rule, with example ids. Synchronous, bounded by
 * RUTA_AUDIT_WHAT_IF_MAX_EVENTS; longer histories go through `npm run audit -- what-if`.
 */
@ApiTags('audit')
@Controller('v1/audit')
export class WhatIfHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Post('what-if')
  @HttpCode(200)
  @Roles('auditor')
  @ApiOkResponse({
    description:
      'per rule with changes: how many decisions (person, causing event) would change, made only by the baseline, ' +
      'only by the candidate, or by both with another outcome, priority or legal basis, and example ids; ' +
      '`through` is the last log position replayed',
    schema: { example: REPORT_EXAMPLE },
  })
  @ApiProblems('invalidRequest', 'unauthorized', 'forbidden')
  @ApiResponse({
    status: 422,
    description: 'AUDIT.WHAT_IF_TOO_LONG: more intake events than one request replays',
    content: {
      'application/problem+json': { schema: PROBLEM_SCHEMA as never, examples: { tooLong: { value: TOO_LONG } } },
    },
  })
  async whatIf(@Body() request: WhatIfRequest): Promise<AuditWhatIfReport> {
    const answer = await this.queries.execute(
      new WhatIfQuery(
        request.ruleSet,
        request.baseline ?? LIVE_RULE_SETS.version,
        request.sector ? [request.sector] : [...SECTORS],
        request.examples,
      ),
    );
    if (answer === 'history-too-long') throw new HttpException(TOO_LONG, 422);
    return answer;
  }
}
