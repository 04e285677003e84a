import { CASEWORKER, hasRole } from './actor';
import { authorise } from './authorise';
import type { Clock } from './clock';
import { decideAssignment } from './decide-assignment';
import { decideOnwardReferral, decideTransfer } from './decide-moves';
import type { LifecycleCommand } from './lifecycle-commands';
import type { CaseworkEvent } from './lifecycle-events';
import { emit, LIFECYCLE_CODES as C, refuse, type Decided } from './lifecycle-result';
import type { LifecycleState } from './lifecycle-state';
import { isRefused, outcomeOf, reasonOf } from './reason-input';
import { appliesFrom } from './transitions';

/**
 * The referral's decider (emmett's decide): the events a command makes, or why it is refused.
 * Order of checks: scope and role, then status, then the command's data. A status command sent
 * twice is refused (INVALID_TRANSITION: retries are the Idempotency-Key's job, and a second
 * "complete" may well carry another outcome); a command that sets a value to what it already is
 * (assign or reassign to the holder, transfer to the current point) returns no events.
 */
export function decide(state: LifecycleState, command: LifecycleCommand, clock: Clock): Decided<CaseworkEvent> {
  const denied = authorise(state, command);
  if (denied) return denied;
  if (!appliesFrom(command).includes(state.status)) {
    return refuse(C.INVALID_TRANSITION, `cannot ${command.kind} a referral that is ${state.status}`);
  }
  const happened = { referralId: state.id, actor: command.actor.subject, at: clock.now().toISOString() };
  switch (command.kind) {
    case 'accept': {
      const claims = state.assignee === null && hasRole(command.actor, CASEWORKER);
      return emit({
        ...happened,
        type: 'referral.accepted',
        assignee: claims ? command.actor.subject : state.assignee,
      });
    }
    case 'start':
      return emit({ ...happened, type: 'referral.started' });
    case 'resume':
      return emit({ ...happened, type: 'referral.resumed' });
    case 'reject': {
      const reason = reasonOf('reject', command.reason, command.note);
      return isRefused(reason) ? reason : emit({ ...happened, type: 'referral.rejected', reason });
    }
    case 'cancel': {
      const reason = reasonOf('cancel', command.reason, command.note);
      return isRefused(reason) ? reason : emit({ ...happened, type: 'referral.cancelled', reason });
    }
    case 'hold': {
      const reason = reasonOf('hold', command.reason, command.note);
      return isRefused(reason) ? reason : emit({ ...happened, type: 'referral.put-on-hold', reason });
    }
    case 'fail': {
      const reason = reasonOf('fail', command.reason, command.note);
      return isRefused(reason) ? reason : emit({ ...happened, type: 'referral.failed', reason });
    }
    case 'complete': {
      const outcome = outcomeOf(command.outcome, command.note);
      return isRefused(outcome) ? outcome : emit({ ...happened, type: 'referral.completed', outcome });
    }
    case 'assign':
    case 'reassign':
      return decideAssignment(state, command, happened);
    case 'transfer':
      return decideTransfer(state, command, happened);
    case 'refer-onward':
      return decideOnwardReferral(state, command, happened);
  }
}
