import { Query } from '@nestjs/cqrs';
import type { Sector } from '@ruta/contracts';
import type { AuditWhatIfReport } from '../../what-if/run-what-if';

/** The history replayed through `candidate` against `baseline` (versions in the repo, by name). */
export class WhatIfQuery extends Query<AuditWhatIfReport | 'history-too-long'> {
  constructor(
    readonly candidate: string,
    readonly baseline: string,
    readonly sectors: readonly Sector[],
    readonly examples: number,
  ) {
    super();
  }
}
