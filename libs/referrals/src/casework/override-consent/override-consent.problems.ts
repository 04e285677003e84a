import { refused, type CaseworkAnswer } from '../casework-answers';
import type { OverrideConsentResult } from './override-consent.command';

/**
 * An override's result as HTTP: 201 when it made the referral, 200 when it was made before (the
 * first answer again); a refusal through casework's one mapping of codes to problems.
 */
export function httpAnswerOf(result: OverrideConsentResult): CaseworkAnswer {
  if (!result.ok) return refused(result);
  return { status: result.created ? 201 : 200, body: { ...result.answer } };
}
