import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The per-person sequence the gateway publishes as the CloudEvents `sequence` attribute: the
 * events' own counter, renamed for that role, drawn by IntakeStore in batch order while it holds
 * the person's row of `person_locks` (row locks live in the rows, so a batch of 500 people costs
 * no shared lock memory). A replica still on older code draws it by default and keeps working.
 * `payload` stays the event as submitted (duplicates compare it); the published event adds
 * `time` (accepted_at when left out), the data time (from `time`) and `sequence`.
 */
export class EventSequence1764600000010 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE intake.events RENAME COLUMN seq TO sequence');
    await runner.query('ALTER SEQUENCE intake.events_seq_seq RENAME TO events_sequence');
    // Rows only anchor locks: unlogged, so a new person costs no WAL; a crash empties it, harmlessly.
    await runner.query('CREATE UNLOGGED TABLE intake.person_locks (subject text PRIMARY KEY)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE intake.person_locks');
    await runner.query('ALTER SEQUENCE intake.events_sequence RENAME TO events_seq_seq');
    await runner.query('ALTER TABLE intake.events RENAME COLUMN sequence TO seq');
  }
}
