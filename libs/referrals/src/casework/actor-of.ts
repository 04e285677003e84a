import type { Principal } from '@ruta/auth';
import type { Actor } from '../domain/lifecycle';

/**
 * The one adapter from a verified token's principal to the lifecycle's actor: the subject is
 * recorded on events, the roles, sector and service point are what authorise reads. A claim the
 * token left out stays null, which only narrows what the actor may do.
 */
export function actorOf(principal: Principal): Actor {
  return {
    subject: principal.subject,
    roles: [...principal.roles],
    sector: principal.sector ?? null,
    servicePointId: principal.servicePointId ?? null,
  };
}
