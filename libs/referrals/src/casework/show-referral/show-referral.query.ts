import { Query } from '@nestjs/cqrs';
import type { Principal } from '@ruta/auth';
import type { CaseworkAnswer } from '../casework-answers';

/** One referral with its lifecycle and timeline, as the principal may see it (else 404). */
export class ShowReferralQuery extends Query<CaseworkAnswer> {
  constructor(
    readonly principal: Principal,
    readonly referralId: string,
  ) {
    super();
  }
}
