import { BadRequestException, Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional } from '@nestjs/swagger';
import { Roles } from '@ruta/auth';
import { ApiProblems } from '@ruta/platform';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import type { BatchConsumer } from '../consumer/batch-consumer';
import { MessagingService } from '../messaging.service';
import type { ParkedEntry } from './parked-messages.store';
import type { ParkedReleaseReport, ParkedRetryReport } from './parked-operations';

const NAME = /^[a-z0-9._-]+$/;

export class ParkedGroupRequest {
  /** A consumer group of this service; every group when absent. */
  @ApiPropertyOptional({ example: 'health-service' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(NAME, { message: 'group must be a consumer group name such as health-service' })
  group?: string;
}

/** Which parked messages to retry or release: a group's, a topic's, or the key parked at a position. */
export class ParkedSelectionRequest extends ParkedGroupRequest {
  @ApiPropertyOptional({ example: 'intake.events.v1' })
  @ValidateIf((r: ParkedSelectionRequest) => r.topic !== undefined || r.offset !== undefined)
  @IsString()
  @Length(1, 200)
  @Matches(NAME, { message: 'topic must be a topic name such as intake.events.v1' })
  topic?: string;

  @ApiPropertyOptional({ example: 0, minimum: 0 })
  @ValidateIf((r: ParkedSelectionRequest) => r.partition !== undefined || r.offset !== undefined)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  partition?: number;

  /** A parked message's offset: its key's parked messages, from the first. A partition alone names nothing. */
  @ApiPropertyOptional({ example: '1042', description: 'with topic and partition: that key from this message on' })
  @ValidateIf((r: ParkedSelectionRequest) => r.offset !== undefined || r.partition !== undefined)
  @IsString()
  @Matches(/^\d{1,19}$/, { message: 'offset must be a Kafka offset' })
  offset?: string;
}

/** Operators' view of the keys this service's consumers parked: list, retry in order, release to the DLQ. */
@Controller('v1/admin/parked')
@Roles('admin')
export class ParkedMessagesHttpController {
  constructor(private readonly messaging: MessagingService) {}

  /** Parked messages by position, code and error class: never a key or a value. */
  @Get()
  @ApiOkResponse({
    schema: {
      example: {
        parked: [
          {
            group: 'health-service',
            topic: 'intake.events.v1',
            partition: 0,
            offset: '1042',
            code: 'MESSAGE.FAILED',
            errorClass: 'QueryFailedError',
            parkedAt: '2026-11-20T14:06:00.000Z',
          },
        ],
      },
    },
  })
  @ApiProblems('invalidRequest')
  async list(@Query() query: ParkedGroupRequest): Promise<{ parked: ParkedEntry[] }> {
    const parked: ParkedEntry[] = [];
    for (const consumer of this.consumersOf(query.group)) parked.push(...(await consumer.listParked()));
    return { parked };
  }

  /** Re-applies the parked messages in order, each key until its first failure. */
  @Post('retry')
  @ApiOkResponse({
    description: 'per group: how many were re-applied, and the first failure of each key that stays parked',
    schema: { example: { groups: [{ group: 'health-service', retried: 2, failed: [] }] } },
  })
  @ApiProblems('invalidRequest')
  @HttpCode(200)
  async retry(@Body() body: ParkedSelectionRequest): Promise<{ groups: ({ group: string } & ParkedRetryReport)[] }> {
    const groups = [];
    for (const consumer of this.consumersOf(body.group))
      groups.push({ group: consumer.groupId, ...(await consumer.retryParked(selectionOf(body))) });
    return { groups };
  }

  /** Moves the parked messages to their dead-letter topic (MESSAGE.RELEASED): their keys flow again. */
  @Post('release')
  @ApiOkResponse({
    description: 'per group: how many moved to the dead-letter topic',
    schema: { example: { groups: [{ group: 'health-service', released: 2 }] } },
  })
  @ApiProblems('invalidRequest')
  @HttpCode(200)
  async release(
    @Body() body: ParkedSelectionRequest,
  ): Promise<{ groups: ({ group: string } & ParkedReleaseReport)[] }> {
    const groups = [];
    for (const consumer of this.consumersOf(body.group))
      groups.push({ group: consumer.groupId, ...(await consumer.releaseParked(selectionOf(body))) });
    return { groups };
  }

  private consumersOf(group: string | undefined): readonly BatchConsumer[] {
    const consumers = this.messaging.batchConsumers;
    if (group === undefined) return consumers;
    const chosen = consumers.filter((c) => c.groupId === group);
    if (chosen.length > 0) return chosen;
    throw new BadRequestException({
      type: 'urn:ruta:problem:invalid-request',
      title: 'invalid request',
      detail: 'fields at fault: group',
      errors: [
        {
          field: 'group',
          messages: [`group must be one of this service: ${consumers.map((c) => c.groupId).join(', ')}`],
        },
      ],
    });
  }
}

function selectionOf(body: ParkedSelectionRequest) {
  return { topic: body.topic, partition: body.partition, offset: body.offset };
}
