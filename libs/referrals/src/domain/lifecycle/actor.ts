import type { Sector } from '@ruta/contracts';

/** Who sends a command, as the token (or the routing service) tells it. */
export interface Actor {
  /** The identity provider's subject: recorded on every event, never a name. */
  subject: string;
  roles: readonly string[];
  sector: Sector | null;
  servicePointId: string | null;
}

/** Roles the lifecycle reads; the realm defines them all (border-agent, auditor, ... act on no referral). */
export const CASEWORKER = 'caseworker';
export const SUPERVISOR = 'supervisor';
/** A sector's own routing service: it cancels open referrals when the person departs. */
export const SYSTEM = 'system';

export const hasRole = (actor: Actor, role: string): boolean => actor.roles.includes(role);

/** The actor routing uses for what it does to a sector's referrals on its own. */
export function routingActor(sector: Sector): Actor {
  return { subject: `system:${sector}-routing`, roles: [SYSTEM], sector, servicePointId: null };
}
