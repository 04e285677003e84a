import type { Principal } from '@ruta/auth';
import type { Actor } from '../../domain/lifecycle/actor';

/**
 * The lifecycle's Actor of a verified caller. Private to this use case until the lead merges it
 * with wt-casework's `actorOf(principal)`: the same mapping, field for field.
 */
export function actorOfPrincipal(principal: Principal): Actor {
  return {
    subject: principal.subject,
    roles: principal.roles,
    sector: principal.sector ?? null,
    servicePointId: principal.servicePointId ?? null,
  };
}
