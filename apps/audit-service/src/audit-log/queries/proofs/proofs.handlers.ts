import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { sqlOf } from '@ruta/persistence';
import { DataSource } from 'typeorm';
import { AuditLogKeys } from '../../log/audit-log.keys';
import { LogProofs } from '../../log/log-proofs';
import { verifyLog } from '../../log/log-verifier';
import { GetCheckpointQuery, ProveConsistencyQuery, ProveInclusionQuery, VerifyLogQuery } from './proofs.queries';

@QueryHandler(GetCheckpointQuery)
export class GetCheckpointHandler implements IQueryHandler<GetCheckpointQuery> {
  constructor(private readonly proofs: LogProofs) {}

  execute({ treeSize }: GetCheckpointQuery) {
    return this.proofs.checkpoint(treeSize);
  }
}

@QueryHandler(ProveInclusionQuery)
export class ProveInclusionHandler implements IQueryHandler<ProveInclusionQuery> {
  constructor(private readonly proofs: LogProofs) {}

  execute({ eventId, treeSize }: ProveInclusionQuery) {
    return this.proofs.inclusion(eventId, treeSize);
  }
}

@QueryHandler(ProveConsistencyQuery)
export class ProveConsistencyHandler implements IQueryHandler<ProveConsistencyQuery> {
  constructor(private readonly proofs: LogProofs) {}

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
      return verifyLog(sqlOf(manager), this.keys.publicKey);
    });
  }
}
