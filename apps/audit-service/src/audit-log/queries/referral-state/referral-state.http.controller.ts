import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@ruta/auth';
import { ApiProblems } from '@ruta/platform';
import { ApiAuditNotFound, notFound } from '../audit-problems';
import { ReferralStateQuery, type ReferralStateAnswer } from './referral-state.query';
import { ReferralStatePath, ReferralStateRequest } from './referral-state.request';

const STATE_EXAMPLE: ReferralStateAnswer = {
  referralId: '5d3c1e0a-7b2f-4c1d-9e8a-1f2b3c4d5e6f',
  asOf: '2026-11-29T15:00:00.000Z',
  personId: 'p-7f3a9c2e41b8',
  sector: 'health',
  type: 'emergency-care',
  priority: 'emergency',
  status: 'accepted',
  servicePointId: 'health-lajas-blancas',
  stationId: 'lajas-blancas',
  legalBasis: 'vital-interest',
  assignee: 'cw-ana',
  hold: null,
  outcome: null,
  closeReason: null,
  requestedAt: '2026-11-29T14:00:00.000Z',
  acknowledgedAt: '2026-11-29T14:02:00.000Z',
  acceptedAt: '2026-11-29T14:02:00.000Z',
  startedAt: null,
  closedAt: null,
  finishedAt: null,
  slaBreaches: [],
  events: 2,
  lastPosition: '1041',
};

/** A referral's state at an instant, rebuilt from the log alone with the lifecycle's own fold. */
@ApiTags('audit')
@Controller('v1/audit/referrals')
export class ReferralStateHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':referralId/state')
  @Roles('auditor')
  @ApiOkResponse({
    description:
      'the state its logged events made by `asOf` (their own time, CloudEvent `time`): status, priority, place, ' +
      'holder, reason and outcome codes, missed SLAs; `events` folded up to `lastPosition`',
    schema: { example: STATE_EXAMPLE },
  })
  @ApiAuditNotFound(
    'the log holds no request of that referral by then',
    'the log holds no request of that referral at or before that instant',
  )
  @ApiProblems('invalidRequest')
  async state(
    @Param() { referralId }: ReferralStatePath,
    @QueryParams() { asOf }: ReferralStateRequest,
  ): Promise<ReferralStateAnswer> {
    const at = asOf === undefined ? new Date() : new Date(asOf);
    const answer = await this.queries.execute(new ReferralStateQuery(referralId.toLowerCase(), at));
    if (!answer) throw notFound('the log holds no request of that referral at or before that instant');
    return answer;
  }
}
