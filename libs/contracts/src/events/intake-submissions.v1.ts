import { IsOptional } from 'class-validator';
import { AsylumIntentExpressedV1 } from './asylum-intent-expressed/asylum-intent-expressed.v1';
import { IsTimestamp } from './common';
import { ConsentRecordedV1 } from './consent-recorded/consent-recorded.v1';
import { HealthIncidentReportedV1 } from './health-incident-reported/health-incident-reported.v1';
import { HouseholdLinkedV1 } from './household-linked/household-linked.v1';
import { PersonDepartedV1 } from './person-departed/person-departed.v1';
import { PersonTransferredV1 } from './person-transferred/person-transferred.v1';
import { VulnerabilityScreenedV1 } from './vulnerability-screened/vulnerability-screened.v1';

/*
 * Intake events as border services submit them: the published payload, except that the time
 * inside `data` may be left out; the gateway then fills it from the event's `time` before
 * publishing (PRODUCT.md "How strict intake is"). Only widening what v1 accepts, these stay v1.
 */

/** Makes `field` optional in `submission`: its own rules replace the published class's for it. */
export function leftOutFallsToTime(submission: Function, field: string): void {
  IsOptional()(submission.prototype, field);
  IsTimestamp()(submission.prototype, field);
}

export class HouseholdLinkedSubmissionV1 extends HouseholdLinkedV1 {}
leftOutFallsToTime(HouseholdLinkedSubmissionV1, 'linkedAt');

export class VulnerabilityScreenedSubmissionV1 extends VulnerabilityScreenedV1 {}
leftOutFallsToTime(VulnerabilityScreenedSubmissionV1, 'screenedAt');

export class ConsentRecordedSubmissionV1 extends ConsentRecordedV1 {}
leftOutFallsToTime(ConsentRecordedSubmissionV1, 'recordedAt');

export class AsylumIntentExpressedSubmissionV1 extends AsylumIntentExpressedV1 {}
leftOutFallsToTime(AsylumIntentExpressedSubmissionV1, 'expressedAt');

export class HealthIncidentReportedSubmissionV1 extends HealthIncidentReportedV1 {}
leftOutFallsToTime(HealthIncidentReportedSubmissionV1, 'reportedAt');

export class PersonTransferredSubmissionV1 extends PersonTransferredV1 {}
leftOutFallsToTime(PersonTransferredSubmissionV1, 'transferredAt');

export class PersonDepartedSubmissionV1 extends PersonDepartedV1 {}
leftOutFallsToTime(PersonDepartedSubmissionV1, 'departedAt');
