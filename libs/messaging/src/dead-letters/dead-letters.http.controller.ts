import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiOkResponse, ApiProperty } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ruta/auth';
import { ApiProblems } from '@ruta/platform';
import { IsString, Length, Matches } from 'class-validator';
import { kafkaNamespace } from '../kafka/kafka.config';
import { MessagingService } from '../messaging.service';
import { countPendingDeadLetters, redriveDeadLetters, RedriveUnavailableError, type RedriveReport } from './redrive';

/** How long an operator should wait before asking again while Kafka is away. */
const RETRY_AFTER_SECONDS = 30;

export class DeadLetterTopicRequest {
  /** The source topic, e.g. `intake.events.v1`. */
  @ApiProperty({ example: 'intake.events.v1', pattern: '^[a-z0-9._-]+$' })
  @IsString()
  @Length(1, 200)
  @Matches(/^[a-z0-9._-]+$/, { message: 'topic must be a topic name such as intake.events.v1' })
  topic: string;
}

/** Operators' view of this service's dead letters: how many wait, and the redrive. */
@Controller('v1/admin/dead-letters')
@Roles('admin')
export class DeadLettersHttpController {
  private running?: Promise<RedriveReport>;

  constructor(private readonly messaging: MessagingService) {}

  @Get()
  @ApiOkResponse({ schema: { example: { topic: 'intake.events.v1', pending: 3 } } })
  @ApiProblems('invalidRequest', 'kafkaUnavailable')
  async pending(@Query() query: DeadLetterTopicRequest): Promise<{ topic: string; pending: number }> {
    this.assertConsumed(query.topic);
    const pending = await countPendingDeadLetters(this.messaging.kafka, query.topic, kafkaNamespace()).catch(
      answerOutage,
    );
    return { topic: query.topic, pending };
  }

  /** Re-publishes the originals of the dead letters not redriven yet; answers how many moved. */
  @Post('redrive')
  @ApiOkResponse({
    description: 'how many dead letters were read, re-published, missing, repeated or refused',
    schema: {
      example: {
        topic: 'intake.events.v1',
        deadLetterTopic: 'intake.events.v1.dlq',
        examined: 3,
        moved: 3,
        missing: 0,
        repeated: 0,
        refused: 0,
      },
    },
  })
  @ApiProblems('invalidRequest', 'kafkaUnavailable')
  @HttpCode(200)
  async redrive(@CurrentPrincipal() caller: Principal, @Body() body: DeadLetterTopicRequest): Promise<RedriveReport> {
    this.assertConsumed(body.topic);
    // One redrive at a time per service: a second request waits for the first, then finds nothing new.
    while (this.running) await this.running.catch(() => undefined);
    this.running = redriveDeadLetters(this.messaging.kafka, {
      topic: body.topic,
      namespace: kafkaNamespace(),
      requestedBy: { actor: caller.subject, channel: 'http' },
    });
    try {
      return await this.running.catch(answerOutage);
    } finally {
      this.running = undefined;
    }
  }

  private assertConsumed(topic: string): void {
    const consumed = new Set(this.messaging.batchConsumers.flatMap((c) => c.topics));
    if (!consumed.has(topic)) {
      throw new BadRequestException({
        type: 'urn:ruta:problem:invalid-request',
        title: 'invalid request',
        detail: 'fields at fault: topic',
        errors: [
          { field: 'topic', messages: [`topic must be one this service consumes: ${[...consumed].join(', ')}`] },
        ],
      });
    }
  }
}

/** A Kafka outage is a known condition: 503 with Retry-After; what was moved before it stays moved. */
function answerOutage(error: unknown): never {
  if (!(error instanceof RedriveUnavailableError)) throw error;
  throw new ServiceUnavailableException({
    type: 'urn:ruta:problem:kafka-unavailable',
    title: 'Kafka unavailable',
    detail: 'Kafka could not be reached; the dead letters moved so far stay moved. Try again later.',
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  });
}
