// Tokens for the bench. The services run with authentication on, as in production: every intake
// request carries a bearer token that they verify RS256 against the issuer's JWKS, fetched over
// HTTP. The issuer is the loopback one of the tests (libs/auth/test/loopback-issuer.ts) started in
// this process rather than Keycloak: the bench measures Ruta, and a Keycloak on the same two cores
// (about 500 MB resident, its own CPU) would blur the figures; it need not be running either. What
// the services do with a token (fetch the key set once, verify each signature, read the claims) is
// the same with either issuer.
import { LoopbackIssuer } from '../../libs/auth/test/loopback-issuer';
import { onCleanup } from './cleanup';

/** As Keycloak issues them: five minutes, renewed by the client before they run out. */
const LIFETIME_SECONDS = 300;
const RENEW_EVERY_MS = 60_000;

let issuer: LoopbackIssuer | undefined;
const current = { intake: '', ops: '' };

/** Starts the issuer and mints the first tokens; the services started after this trust it. */
export async function startBenchIssuer(): Promise<string> {
  issuer = await LoopbackIssuer.start();
  onCleanup(() => issuer?.stop());
  await renew();
  setInterval(() => void renew(), RENEW_EVERY_MS).unref();
  return issuer.url;
}

async function renew(): Promise<void> {
  const exp = Math.floor(Date.now() / 1000) + LIFETIME_SECONDS;
  // The agency system's service account (client credentials): a border agent, no sector.
  const common = { azp: 'agency-system', sector: undefined, service_point: undefined, exp };
  current.intake = `Bearer ${await issuer!.token({ ...common, sub: 'bench-agency-system', realm_access: { roles: ['border-agent'] } })}`;
  current.ops = `Bearer ${await issuer!.token({ ...common, sub: 'bench-operator', realm_access: { roles: ['admin'] } })}`;
}

/** The Authorization header of intake requests (role border-agent). */
export const intakeAuthorization = () => current.intake;
/** The Authorization header of /health and /metrics, for services run with RUTA_OPEN_OPS_ENDPOINTS=false. */
export const opsAuthorization = () => current.ops;
