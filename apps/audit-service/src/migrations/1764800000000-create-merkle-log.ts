import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log becomes one tamper-evident log of everything (issue 11): `audit.log` holds each event
 * once per event id at a gapless global position (its Merkle leaf index), with the exact bytes that
 * were on the wire and the leaf hash over them; `log_head` is the tree's size and frontier (the one
 * row every append locks, so positions follow commit order); `merkle_nodes` the complete subtrees
 * proofs are built from; `checkpoints` the signed tree heads. The earlier `audit_log` rows move in,
 * in their order (an id's earliest copy only), as the first entries (the appender hashes them before anything new: see
 * LogAppender's hashMovedRows); their bytes are the stored JSON, since what was on the wire was not kept.
 */
export class CreateMerkleLog1764800000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE audit.log (
        position         bigint      PRIMARY KEY CHECK (position >= 0),
        event_id         text        NOT NULL,
        topic            text        NOT NULL,
        partition        integer     NOT NULL,
        kafka_offset     bigint      NOT NULL,
        type             text        NOT NULL,
        subject          text        NOT NULL,
        actor            text,
        event_time       timestamptz,
        appended_at      timestamptz NOT NULL,
        bytes            bytea       NOT NULL,
        leaf_hash        bytea,
        referral_id      text,
        service_point_id text,
        sector           text
      )`);
    await runner.query('CREATE UNIQUE INDEX log_event_id ON audit.log (event_id)');
    await runner.query('CREATE INDEX log_subject ON audit.log (subject, position)');
    await runner.query('CREATE INDEX log_referral ON audit.log (referral_id, position) WHERE referral_id IS NOT NULL');
    await runner.query(
      'CREATE INDEX log_service_point ON audit.log (service_point_id, position) WHERE service_point_id IS NOT NULL',
    );
    await runner.query('CREATE INDEX log_appended_at ON audit.log (appended_at)');
    // Only rows moved in from audit_log wait for a hash; the appender fills them before appending.
    await runner.query('CREATE INDEX log_unhashed ON audit.log (position) WHERE leaf_hash IS NULL');
    await runner.query(`
      CREATE TABLE audit.log_head (
        one      boolean PRIMARY KEY DEFAULT true CHECK (one),
        size     bigint  NOT NULL CHECK (size >= 0),
        frontier bytea[] NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE audit.merkle_nodes (
        level smallint NOT NULL CHECK (level > 0),
        index bigint   NOT NULL CHECK (index >= 0),
        hash  bytea    NOT NULL,
        PRIMARY KEY (level, index)
      )`);
    await runner.query(`
      CREATE TABLE audit.checkpoints (
        tree_size bigint      PRIMARY KEY CHECK (tree_size > 0),
        root_hash bytea       NOT NULL,
        body      text        NOT NULL,
        signature bytea       NOT NULL,
        key_id    text        NOT NULL,
        signed_at timestamptz NOT NULL
      )`);
    await runner.query(`
      INSERT INTO audit.log (position, event_id, topic, partition, kafka_offset, type, subject, actor, event_time,
                             appended_at, bytes, referral_id, service_point_id, sector)
      SELECT row_number() OVER (ORDER BY seq) - 1, event_id, topic, partition, kafka_offset, type, subject,
             COALESCE(payload->'data'->>'actor', source), event_time, date_trunc('milliseconds', received_at),
             convert_to(payload::text, 'UTF8'), payload->'data'->>'referralId', payload->'data'->>'servicePointId',
             payload->'data'->>'sector'
        FROM (SELECT DISTINCT ON (event_id) * FROM audit.audit_log ORDER BY event_id, seq) earliest`);
    // Size 0: the moved rows are not in the tree until the appender has hashed them.
    await runner.query(`INSERT INTO audit.log_head (one, size, frontier) VALUES (true, 0, '{}')`);
    await runner.query('DROP TABLE audit.audit_log');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE audit.audit_log (
        seq          bigserial PRIMARY KEY,
        topic        text        NOT NULL,
        partition    integer     NOT NULL,
        kafka_offset bigint      NOT NULL,
        event_id     text        NOT NULL,
        type         text        NOT NULL,
        subject      text        NOT NULL,
        source       text        NOT NULL,
        event_time   timestamptz,
        payload      jsonb       NOT NULL,
        received_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (topic, partition, kafka_offset)
      )`);
    await runner.query(`
      INSERT INTO audit.audit_log (topic, partition, kafka_offset, event_id, type, subject, source, event_time, payload,
                                   received_at)
      SELECT topic, partition, kafka_offset, event_id, type, subject, convert_from(bytes, 'UTF8')::jsonb->>'source',
             event_time, convert_from(bytes, 'UTF8')::jsonb, appended_at
        FROM audit.log ORDER BY position`);
    await runner.query('CREATE INDEX audit_log_subject_seq ON audit.audit_log (subject, seq)');
    await runner.query('CREATE UNIQUE INDEX audit_log_topic_event ON audit.audit_log (topic, event_id)');
    await runner.query('DROP TABLE audit.checkpoints, audit.merkle_nodes, audit.log_head, audit.log');
  }
}
