import { Readable } from 'node:stream';
import { Controller, Get, Query as QueryParams, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '@ruta/auth';
import { ApiProblems } from '@ruta/platform';
import { invalidRequest } from '../audit-problems';
import { HistoryQuery, type HistoryLine } from './history.query';
import { historyFilterOf, HistoryRequest } from './history.request';

const NDJSON = 'application/x-ndjson';

const ENTRY_EXAMPLE = {
  position: '1041',
  eventId: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b',
  topic: 'referrals.events.v1',
  partition: 0,
  offset: '5512',
  type: 'referral.accepted',
  subject: 'p-7f3a9c2e41b8',
  actor: 'cw-ana',
  eventTime: '2026-11-29T14:02:00.000Z',
  appendedAt: '2026-11-29T14:02:00.418Z',
  event: { specversion: '1.0', id: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b', type: 'referral.accepted', data: {} },
};

/** One JSON text per line: the entries, then the end line (a stream cut short has none). */
async function* ndjson(lines: AsyncIterable<HistoryLine>): AsyncGenerator<string> {
  for await (const line of lines) yield `${JSON.stringify(line)}\n`;
}

/**
 * The log's history for one filter, streamed as NDJSON while PostgreSQL pages it: one line per
 * entry in position order, then `{"end":true,"entries":n,"nextCursor":"<position>"}`
 * (`nextCursor` only when more remain: pass it as `after`). An answer without the end line was
 * cut short and is to be asked again from its last position.
 */
@ApiTags('audit')
@Controller('v1/audit/history')
export class HistoryHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('auditor')
  @ApiProduces(NDJSON)
  @ApiOkResponse({
    description:
      'NDJSON: one entry per line in position order (`event` is the CloudEvent its stored bytes carry), then an end ' +
      'line with the count and, when more remain, `nextCursor` to pass as `after`. Audit reads (audit.accessed) ' +
      'only with includeAccesses=true. A time range is on appendedAt (the log’s clock): from inclusive, to exclusive.',
    content: {
      [NDJSON]: {
        schema: { type: 'string' },
        example: `${JSON.stringify(ENTRY_EXAMPLE)}\n${JSON.stringify({ end: true, entries: 1, nextCursor: '1041' })}\n`,
      },
    },
  })
  @ApiProblems('invalidRequest')
  async history(@QueryParams() request: HistoryRequest): Promise<StreamableFile> {
    const filter = historyFilterOf(request);
    if (Array.isArray(filter)) throw invalidRequest(filter);
    const lines = await this.queries.execute(
      new HistoryQuery(filter, request.limit, request.after, request.includeAccesses === 'true'),
    );
    return new StreamableFile(Readable.from(ndjson(lines)), { type: NDJSON });
  }
}
