import type { LifecycleCommand } from './lifecycle-commands';
import type { CaseworkEvent, Happened } from './lifecycle-events';
import { emit, LIFECYCLE_CODES as C, refuse, type Decided } from './lifecycle-result';
import type { LifecycleState } from './lifecycle-state';

/** A subject is an opaque id from the identity provider: non-empty and bounded, nothing more here. */
const SUBJECT_MAX_LENGTH = 255;

/**
 * assign gives a referral nobody holds; reassign replaces the holder on purpose, so two supervisors
 * assigning at once cannot silently overwrite each other. Whether the assignee is a caseworker of
 * this service point is the handler's check, against the identity provider.
 */
export function decideAssignment(
  state: LifecycleState,
  command: Extract<LifecycleCommand, { kind: 'assign' | 'reassign' }>,
  happened: Happened,
): Decided<CaseworkEvent> {
  const assignee = command.assignee?.trim() ?? '';
  if (assignee === '' || assignee.length > SUBJECT_MAX_LENGTH) {
    return refuse(C.ASSIGNEE_REQUIRED, `assignee must be a subject of 1 to ${SUBJECT_MAX_LENGTH} characters`);
  }
  if (assignee === state.assignee) return emit();
  if (command.kind === 'assign' && state.assignee !== null) {
    return refuse(C.ALREADY_ASSIGNED, 'the referral is assigned already: reassign it');
  }
  return emit({ ...happened, type: 'referral.assigned', assignee, previousAssignee: state.assignee });
}
