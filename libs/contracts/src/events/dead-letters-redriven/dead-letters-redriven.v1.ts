import { IsIn, IsInt, IsString, Length, Matches, Min } from 'class-validator';
import { IsSubject, IsTimestamp } from '../common';

export const DEAD_LETTERS_REDRIVEN = 'dead-letters.redriven';

/** The subject of operations events: they concern a topic, not a person. */
export const OPERATIONS_SUBJECT = 'ruta-operations';

/** How the redrive was asked for: the admin endpoint of a service, or `npm run redrive`. */
export const REDRIVE_CHANNELS = ['http', 'cli'] as const;

/**
 * An operator re-published a topic's dead letters to it (after a fix): who, when, through which
 * channel, and what came of it. The originals themselves arrive again with their own ids, which
 * the audit log already holds; this event is what records that they were sent again.
 */
export class DeadLettersRedrivenV1 {
  /** The source topic, e.g. `intake.events.v1` (without a deployment's namespace). */
  @IsString()
  @Length(1, 200)
  @Matches(/^[a-z0-9._-]+$/, { message: 'topic must be a topic name such as intake.events.v1' })
  topic: string;

  /** The identity provider's subject of the admin (http), or the operating-system user (cli). */
  @IsSubject()
  actor: string;

  @IsIn(REDRIVE_CHANNELS)
  channel: (typeof REDRIVE_CHANNELS)[number];

  @IsInt()
  @Min(0)
  examined: number;

  @IsInt()
  @Min(0)
  moved: number;

  @IsInt()
  @Min(0)
  missing: number;

  @IsInt()
  @Min(0)
  repeated: number;

  @IsInt()
  @Min(0)
  refused: number;

  @IsTimestamp()
  redrivenAt: string;
}
