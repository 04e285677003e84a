import { LEGAL_BASES, SECTORS, type LegalBasis, type Sector } from '@ruta/contracts';
import { DEFAULT_RULE_SETS } from '@ruta/routing';
import type { LifecycleCommand } from './lifecycle-commands';
import type { CaseworkEvent, Happened } from './lifecycle-events';
import { emit, LIFECYCLE_CODES as C, refuse, type Decided } from './lifecycle-result';
import type { LifecycleState } from './lifecycle-state';
import { isRefused, reasonOf } from './reason-input';

/** To another point of the same sector; the holder stays behind, the new point takes it up. */
export function decideTransfer(
  state: LifecycleState,
  command: Extract<LifecycleCommand, { kind: 'transfer' }>,
  happened: Happened,
): Decided<CaseworkEvent> {
  const { to } = command;
  if (to.sector !== state.sector) {
    return refuse(C.TRANSFER_OTHER_SECTOR, `transfer stays in the ${state.sector} sector: refer onward instead`);
  }
  if (to.servicePointId === state.servicePointId) return emit();
  return emit({
    ...happened,
    type: 'referral.transferred',
    fromServicePointId: state.servicePointId,
    servicePointId: to.servicePointId,
    stationId: to.stationId,
  });
}

/** The referral types a sector makes: those of its default rule set, in the rules' order. */
export function referralTypesOf(sector: Sector): string[] {
  return [...new Set(DEFAULT_RULE_SETS[sector].rules.map((rule) => rule.type))];
}

/**
 * To another sector, which routes it as a new referral of its own: only with a legal basis, which
 * that sector checks as it checks its rules' (consent means the person's consent lists it).
 */
export function decideOnwardReferral(
  state: LifecycleState,
  command: Extract<LifecycleCommand, { kind: 'refer-onward' }>,
  happened: Happened,
): Decided<CaseworkEvent> {
  if (!(SECTORS as readonly string[]).includes(command.toSector)) {
    return refuse(C.UNKNOWN_SECTOR, `toSector must be one of ${SECTORS.join(', ')}`);
  }
  if (command.toSector === state.sector) {
    return refuse(C.ONWARD_SAME_SECTOR, "toSector is the referral's own sector: transfer instead");
  }
  const types = referralTypesOf(command.toSector as Sector);
  if (!types.includes(command.referralType ?? '')) {
    return refuse(C.UNKNOWN_REFERRAL_TYPE, `referralType must be one of ${types.join(', ')}`);
  }
  if (!(LEGAL_BASES as readonly string[]).includes(command.legalBasis ?? '')) {
    return refuse(C.LEGAL_BASIS_REQUIRED, `legalBasis is required: one of ${LEGAL_BASES.join(', ')}`);
  }
  const reason = reasonOf('refer-onward', command.reason, command.note);
  if (isRefused(reason)) return reason;
  return emit({
    ...happened,
    type: 'referral.referred-onward',
    personId: state.personId,
    fromSector: state.sector,
    toSector: command.toSector as Sector,
    onwardReferralType: command.referralType as string,
    legalBasis: command.legalBasis as LegalBasis,
    reason,
  });
}
