import { Body, Controller, Get, HttpCode, HttpException, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ruta/auth';
import { ApiProblems } from '@ruta/platform';
import type { FastifyReply } from 'fastify';
import { notFound } from '../queries/audit-problems';
import { RebuildJobs } from './rebuild-jobs';
import type { RebuildJob } from './rebuild-jobs.store';
import { RebuildJobPath, StartRebuildRequest } from './rebuild.request';

const JOB_EXAMPLE: RebuildJob = {
  id: '0b7e5c1a-6f1d-4c3e-9a8b-2d4f6e8a0c1b',
  sector: 'health',
  state: 'done',
  phase: 'diff',
  processed: 412000,
  total: 412000,
  eventsPerSecond: 61000,
  etaSeconds: 0,
  differences: 1,
  byTable: { person_view: 0, household_members: 0, referrals: 1, referral_events: 0, decisions: 0, sla_breaches: 0 },
  report: [
    {
      table: 'referrals',
      key: { id: '5d0c8f2e-1a3b-4c5d-8e9f-0a1b2c3d4e5f' },
      column: 'priority',
      live: 'emergency',
      rebuilt: 'urgent',
    },
  ],
  failure: null,
  startedAt: '2026-11-29T14:00:00.000Z',
  finishedAt: '2026-11-29T14:00:09.412Z',
};

/**
 * Auditors rebuild a sector's projections from the audit log and see every difference from the
 * live schema (README "Rebuilding projections"): a job, since a rebuild of a large log takes a while.
 */
@ApiTags('audit')
@Controller('v1/audit/rebuilds')
export class RebuildHttpController {
  constructor(private readonly jobs: RebuildJobs) {}

  @Post()
  @HttpCode(202)
  @Roles('auditor')
  @ApiAcceptedResponse({
    description: 'the job started; `Location` names it. Poll it for progress and, once done, the report.',
    headers: { Location: { description: '/v1/audit/rebuilds/{id}', schema: { type: 'string' } } },
    schema: {
      example: { ...JOB_EXAMPLE, state: 'running', phase: 'replay', processed: 0, differences: null, report: null },
    },
  })
  @ApiConflictResponse({
    description: 'urn:ruta:problem:audit.rebuild-running: a rebuild of this sector is running already',
    schema: {
      example: {
        type: 'urn:ruta:problem:audit.rebuild-running',
        title: 'a rebuild is running',
        status: 409,
        detail: 'a rebuild of this sector is running; poll it or wait until it ends',
      },
    },
  })
  @ApiProblems('invalidRequest', 'unauthorized', 'forbidden')
  async start(
    @Body() body: StartRebuildRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RebuildJob> {
    const id = await this.jobs.start(body.sector, principal.subject);
    if (!id) {
      throw new HttpException(
        {
          type: 'urn:ruta:problem:audit.rebuild-running',
          title: 'a rebuild is running',
          detail: 'a rebuild of this sector is running; poll it or wait until it ends',
        },
        409,
      );
    }
    reply.header('location', `/v1/audit/rebuilds/${id}`);
    return (await this.jobs.get(id))!;
  }

  @Get(':id')
  @Roles('auditor')
  @ApiOkResponse({
    description:
      'the job: running (processed of total log entries, events/s, seconds left), done (differences and the first 1000) or failed',
    schema: { example: JOB_EXAMPLE },
  })
  @ApiNotFoundResponse({
    description: 'urn:ruta:problem:audit.not-found: no rebuild job has this id',
    schema: {
      example: {
        type: 'urn:ruta:problem:audit.not-found',
        title: 'no such rebuild job',
        status: 404,
        detail: 'no rebuild job has this id',
      },
    },
  })
  @ApiProblems('invalidRequest', 'unauthorized', 'forbidden')
  async show(@Param() { id }: RebuildJobPath): Promise<RebuildJob> {
    const job = await this.jobs.get(id);
    if (!job) throw notFound('no rebuild job has this id', 'no such rebuild job');
    return job;
  }
}
