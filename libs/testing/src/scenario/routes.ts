import { DARIEN_ARRIVAL_STATIONS, LOS_PLANES } from './people';
import type { Route } from './person-journey';
import type { Prng } from './prng';

/**
 * The usual way north: a Darién reception station (Bajo Chiquito first goes on to Lajas Blancas),
 * then Los Planes in Chiriquí, then on towards Costa Rica. Some stay put; some leave from Darién.
 */
export function darienRoute(rng: Prng, arrivesAt: number): Route {
  const arrival = rng.weighted(DARIEN_ARRIVAL_STATIONS);
  const moves: Route['moves'] = [];
  let at = arrivesAt;
  if (arrival === 'bajo-chiquito' && rng.chance(0.85)) {
    at += rng.int(12, 24);
    moves.push({ at, to: 'lajas-blancas' });
  }
  if (rng.chance(0.8)) {
    at += rng.int(24, 56);
    moves.push({ at, to: LOS_PLANES });
  }
  const departs = moves.length > 0 ? rng.chance(0.45) : rng.chance(0.1);
  return departs ? { arrival, moves, departsAt: at + rng.int(12, 36) } : { arrival, moves };
}
