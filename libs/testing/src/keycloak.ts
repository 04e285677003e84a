import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

/** The realm of docker/keycloak/ruta-realm.json, its demo users' password and its clients. */
export const RUTA_REALM = 'ruta';
export const DEMO_PASSWORD = 'ruta-demo';
export const API_AUDIENCE = 'ruta-api';
export const CLI_CLIENT_ID = 'ruta-cli';
export const AGENCY_CLIENT = { clientId: 'agency-system', clientSecret: 'agency-system-demo-secret' } as const;

const SCRIPT = resolve(__dirname, '../../../scripts/keycloak.sh');
const run = promisify(execFile);
const HOW_TO_START = [
  'Tests that sign in need a real Keycloak with the ruta realm. Either:',
  '  - set KEYCLOAK_URL to one that serves it (e.g. http://127.0.0.1:8180), or',
  '  - let the tests start it: `npm run keycloak -- start` (needs Maven and a Java 21+ JDK; see scripts/keycloak.sh).',
].join('\n');

let resolved: Promise<string> | undefined;

/**
 * The Keycloak base URL: KEYCLOAK_URL when set, else the local server of scripts/keycloak.sh,
 * started here (idempotent, locked) the first time a test needs it. Never a skip: a missing or
 * silent Keycloak throws.
 */
export function resolveKeycloak(): Promise<string> {
  resolved ??= (async () => {
    let url = process.env.KEYCLOAK_URL;
    if (!url) {
      url = await startLocalKeycloak();
      process.env.KEYCLOAK_URL = url;
    }
    url = url.replace(/\/+$/, '');
    await assertRealmAnswers(url);
    return url;
  })();
  return resolved;
}

/** The issuer the realm's tokens carry: the base URL the realm is served under. */
export const realmIssuer = (keycloakUrl: string): string => `${keycloakUrl}/realms/${RUTA_REALM}`;

/** A real access token for a demo user of the realm (password grant on the public CLI client). */
export async function demoUserToken(username: string, password = DEMO_PASSWORD): Promise<string> {
  return requestToken({ grant_type: 'password', client_id: CLI_CLIENT_ID, username, password });
}

/** A real access token for the agency system's service account (client credentials). */
export async function agencyToken(): Promise<string> {
  return requestToken({
    grant_type: 'client_credentials',
    client_id: AGENCY_CLIENT.clientId,
    client_secret: AGENCY_CLIENT.clientSecret,
  });
}

/** The token endpoint's answer as it came, for tests of refusals. */
export async function tokenResponse(form: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const base = await resolveKeycloak();
  const response = await fetch(`${realmIssuer(base)}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: await response.json() };
}

async function requestToken(form: Record<string, string>): Promise<string> {
  const { status, body } = await tokenResponse(form);
  const token = (body as { access_token?: unknown }).access_token;
  if (status !== 200 || typeof token !== 'string') {
    const error = (body as { error?: unknown }).error;
    throw new Error(
      `Keycloak refused a ${form.grant_type} token for ${form.username ?? form.client_id}: ${status} ${String(error)}`,
    );
  }
  return token;
}

async function startLocalKeycloak(): Promise<string> {
  try {
    await run('bash', [SCRIPT, 'start'], { timeout: 300_000 });
    const { stdout } = await run('bash', [SCRIPT, 'url']);
    return stdout.trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(
      `KEYCLOAK_URL is not set and scripts/keycloak.sh could not start Keycloak:\n${stderr}\n${HOW_TO_START}`,
      { cause: error },
    );
  }
}

async function assertRealmAnswers(url: string): Promise<void> {
  const discovery = `${realmIssuer(url)}/.well-known/openid-configuration`;
  const response = await fetch(discovery).catch((error: Error) => {
    throw new Error(`Keycloak at KEYCLOAK_URL=${url} does not answer: ${error.message}\n${HOW_TO_START}`, {
      cause: error,
    });
  });
  if (!response.ok) {
    throw new Error(
      `Keycloak at KEYCLOAK_URL=${url} has no realm ${RUTA_REALM} (${discovery}: ${response.status})\n${HOW_TO_START}`,
    );
  }
}
