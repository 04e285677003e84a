import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLogKeys } from '../../log/audit-log.keys';
import { LogProofs } from '../../log/log-proofs';
import { verifyLog, type Sql } from '../../log/log-verifier';
import { GetCheckpointQuery, ProveConsistencyQuery, ProveInclusionQuery, VerifyLogQuery } from './proofs.queries';

const sqlOf =
  (dataSource: DataSource): Sql =>
  (sql, params) =>
    dataSource.query(sql, params);

@QueryHandler(GetCheckpointQuery)
export class GetCheckpointHandler implements IQueryHandler<GetCheckpointQuery> {
  private readonly proofs: LogProofs;
  constructor(@InjectDataSource() dataSource: DataSource) {
    this.proofs = new LogProofs(sqlOf(dataSource));
  }

  execute({ treeSize }: GetCheckpointQuery) {
    return this.proofs.checkpoint(treeSize);
  }
}

@QueryHandler(ProveInclusionQuery)
export class ProveInclusionHandler implements IQueryHandler<ProveInclusionQuery> {
  private readonly proofs: LogProofs;
  constructor(@InjectDataSource() dataSource: DataSource) {
    this.proofs = new LogProofs(sqlOf(dataSource));
  }

  execute({ eventId, treeSize }: ProveInclusionQuery) {
    return this.proofs.inclusion(eventId, treeSize);
  }
}

@QueryHandler(ProveConsistencyQuery)
export class ProveConsistencyHandler implements IQueryHandler<ProveConsistencyQuery> {
  private readonly proofs: LogProofs;
  constructor(@InjectDataSource() dataSource: DataSource) {
    this.proofs = new LogProofs(sqlOf(dataSource));
  }

  execute({ fromSize, toSize }: ProveConsistencyQuery) {
    return this.proofs.consistency(fromSize, toSize);
  }
}

/**
 * Checks against the configured key's public half: the database alone cannot vouch for itself.
 * One snapshot (REPEATABLE READ) for the whole check: the log keeps growing while it runs (every
 * auditor call appends an audit.accessed entry), and head, rows and checkpoints must agree.
 */
@QueryHandler(VerifyLogQuery)
export class VerifyLogHandler implements IQueryHandler<VerifyLogQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: AuditLogKeys,
  ) {}

  execute() {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      return verifyLog((sql, params) => manager.query(sql, params), this.keys.publicKey);
    });
  }
}
