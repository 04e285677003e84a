import { Query } from '@nestjs/cqrs';
import type { ConsistencyAnswer, InclusionAnswer, SignedCheckpoint } from '../../log/log-proofs';
import type { VerifyReport } from '../../log/log-verifier';

/** The newest signed checkpoint, or the one at `treeSize`. */
export class GetCheckpointQuery extends Query<SignedCheckpoint | null> {
  constructor(readonly treeSize?: string) {
    super();
  }
}

/** An event's inclusion proof against a signed checkpoint. */
export class ProveInclusionQuery extends Query<InclusionAnswer | 'no-event' | 'no-checkpoint'> {
  constructor(
    readonly eventId: string,
    readonly treeSize?: string,
  ) {
    super();
  }
}

/** The consistency proof between two signed checkpoints. */
export class ProveConsistencyQuery extends Query<ConsistencyAnswer | null> {
  constructor(
    readonly fromSize: string,
    readonly toSize: string,
  ) {
    super();
  }
}

/** Recomputes the whole log from its rows against the signed checkpoints. */
export class VerifyLogQuery extends Query<VerifyReport> {}
