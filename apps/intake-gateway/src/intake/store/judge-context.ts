import type { Provider } from '@nestjs/common';
import { loadReferenceData, type ReferenceData } from '@ruta/routing';
import { IdentifierVault } from '../identifiers/identifier-vault';

/**
 * What the judge reads besides the event: the vault (can identifiers be encrypted?), the stations
 * of the reference data (RUTA_REFERENCE_DATA, read once at boot) and the clock of acceptance.
 */
export class JudgeContext {
  readonly stations: ReadonlySet<string>;

  constructor(
    readonly vault: IdentifierVault,
    referenceData: ReferenceData,
    /** The moment of acceptance; tests pass their own so they need not sleep. */
    readonly now: () => Date = () => new Date(),
  ) {
    this.stations = new Set(referenceData.stations.map((s) => s.id));
  }
}

export const judgeContextProvider: Provider = {
  provide: JudgeContext,
  useFactory: (vault: IdentifierVault) => new JudgeContext(vault, loadReferenceData()),
  inject: [IdentifierVault],
};
