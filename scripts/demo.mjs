// Posts a small demo scenario (people registered at Lajas Blancas, all eight intake types) to the
// intake gateway, waits for the sector services to route it, and prints the referrals and where to look.
// Event ids are fixed: running it again shows the gateway answering "duplicate".
// It signs in to Keycloak's ruta realm (docker/keycloak/ruta-realm.json) as the services expect:
// the agency-system client (client credentials, a border agent) posts the intake, each sector's
// demo supervisor (ruta-cli password grant) reads its referrals. Keycloak's URL: KEYCLOAK_URL, else
// the base of RUTA_AUTH_ISSUER, else http://127.0.0.1:8180.
import { URLSearchParams } from 'node:url';

const keycloak = (
  process.env.KEYCLOAK_URL ??
  process.env.RUTA_AUTH_ISSUER?.replace(/\/realms\/ruta\/?$/, '') ??
  'http://127.0.0.1:8180'
).replace(/\/+$/, '');
const tokenEndpoint = `${keycloak}/realms/ruta/protocol/openid-connect/token`;
const DEMO_PASSWORD = 'ruta-demo';
const AGENCY = { client_id: 'agency-system', client_secret: 'agency-system-demo-secret' };
const SUPERVISORS = {
  health: 'health-supervisor',
  'social-development': 'mides-supervisor',
  protection: 'protection-supervisor',
};

/** A real access token from Keycloak for this form (a grant), or an error naming who was refused. */
async function token(form) {
  const response = await fetch(tokenEndpoint, { method: 'POST', body: new URLSearchParams(form) });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new Error(
      `Keycloak at ${keycloak} refused a ${form.grant_type} token for ${form.username ?? form.client_id}: ` +
        `${response.status} ${body.error ?? ''}`,
    );
  }
  return body.access_token;
}
const agencyToken = () => token({ grant_type: 'client_credentials', ...AGENCY });
const userToken = (username) =>
  token({ grant_type: 'password', client_id: 'ruta-cli', username, password: DEMO_PASSWORD });
const bearer = (accessToken) => ({ authorization: `Bearer ${accessToken}` });

const base = (port) => process.env[`RUTA_URL_${port}`] ?? `http://127.0.0.1:${port}`;
const urls = {
  intake: base(3000),
  health: base(3001),
  'social-development': base(3002),
  protection: base(3003),
  audit: base(3004),
};

const event = (id, type, subject, data) => ({
  specversion: '1.0',
  id: `demo-${id}`,
  source: 'senafront/lajas-blancas',
  type,
  subject,
  time: '2026-11-20T14:00:00Z',
  datacontenttype: 'application/json',
  data: { personId: subject, ...data },
});

const registered = (n, subject, data) =>
  event(`${n}-reg`, 'person.registered', subject, {
    stationId: 'lajas-blancas',
    registeredAt: '2026-11-20T13:40:00Z',
    languages: ['es'],
    ...data,
  });
const screened = (n, subject, indicators) =>
  event(`${n}-scr`, 'vulnerability.screened', subject, { screenedAt: '2026-11-20T14:10:00Z', indicators });
const consent = (n, subject, sectors, extra = {}) =>
  event(`${n}-con`, 'consent.recorded', subject, {
    informationSharing: 'granted',
    sectors,
    recordedAt: '2026-11-20T14:05:00Z',
    ...extra,
  });

const of = (n, type, subject, data) => event(`${n}-${type}`, type, subject, data);

const people = {
  'LB-2026-000101':
    'adult, pregnant, needs shelter, heads a household with a child; consents to health and social development',
  'LB-2026-000102': 'unaccompanied child, 14; no consent needed for child protection',
  'LB-2026-000103': 'asylum seeker; consents to protection',
  'LB-2026-000104': 'aged 67, no consent recorded yet: elderly support is deferred',
  'LB-2026-000105': 'child of 000101, 3, registered after the household link; her mother consents for her to health',
  'LB-2026-000106': 'critical injury (emergency care needs no consent), asylum intent, then transferred to Los Planes',
  'LB-2026-000107': 'needs food, consents to social development, then departs: the referral is cancelled',
};

const scenario = [
  registered(1, 'LB-2026-000101', {
    ageYears: 27,
    sex: 'female',
    nationality: 'VEN',
    category: 'migrant',
    householdId: 'H-0101',
  }),
  consent(1, 'LB-2026-000101', ['health', 'social-development']),
  screened(1, 'LB-2026-000101', { pregnant: true, needsShelter: true }),
  registered(2, 'LB-2026-000102', {
    ageYears: 14,
    sex: 'male',
    nationality: 'HTI',
    languages: ['ht', 'fr'],
    category: 'migrant',
  }),
  screened(2, 'LB-2026-000102', { unaccompaniedChild: true }),
  registered(3, 'LB-2026-000103', {
    birthDate: '1991-06-14',
    sex: 'male',
    nationality: 'AFG',
    languages: ['ps'],
    category: 'asylum-seeker',
  }),
  consent(3, 'LB-2026-000103', ['protection']),
  registered(4, 'LB-2026-000104', { ageYears: 67, sex: 'female', nationality: 'ECU', category: 'migrant' }),
  of(1, 'household.linked', 'LB-2026-000101', {
    personId: undefined,
    householdId: 'H-0101',
    headPersonId: 'LB-2026-000101',
    members: [
      { personId: 'LB-2026-000101', relationship: 'head' },
      { personId: 'LB-2026-000105', relationship: 'child' },
    ],
  }),
  registered(5, 'LB-2026-000105', { ageYears: 3, sex: 'female', nationality: 'VEN', category: 'migrant' }),
  consent(5, 'LB-2026-000105', ['health'], { guardianPersonId: 'LB-2026-000101' }),
  registered(6, 'LB-2026-000106', {
    ageYears: 33,
    sex: 'male',
    nationality: 'IND',
    languages: ['hi'],
    category: 'migrant',
  }),
  of(6, 'health.incident-reported', 'LB-2026-000106', { severity: 'critical', category: 'trauma' }),
  consent(6, 'LB-2026-000106', ['protection']),
  of(6, 'asylum.intent-expressed', 'LB-2026-000106', { fearOfReturn: true }),
  of(6, 'person.transferred', 'LB-2026-000106', { fromStationId: 'lajas-blancas', toStationId: 'los-planes' }),
  registered(7, 'LB-2026-000107', { ageYears: 45, sex: 'male', nationality: 'COL', category: 'migrant' }),
  consent(7, 'LB-2026-000107', ['social-development']),
  screened(7, 'LB-2026-000107', { needsFood: true }),
  of(7, 'person.departed', 'LB-2026-000107', {}),
];

/** Routing is done when every referral is there, the transferred ones moved and the departed one cancelled. */
const routed = (rows) =>
  rows.length >= 9 &&
  rows.filter((r) => r.personId === 'LB-2026-000106').every((r) => r.stationId === 'los-planes') &&
  rows.some((r) => r.personId === 'LB-2026-000107' && r.status === 'cancelled');

async function waitForServices(timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (const [name, url] of Object.entries(urls)) {
    for (;;) {
      try {
        if ((await fetch(`${url}/health/ready`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${name} at ${url} did not become ready`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function main() {
  process.stdout.write('demo: waiting for the five services ...\n');
  await waitForServices();
  // Tokens live five minutes: enough for the demo, fetched once.
  const intake = bearer(await agencyToken());
  const readers = {};
  for (const [sector, username] of Object.entries(SUPERVISORS)) readers[sector] = bearer(await userToken(username));
  for (const e of scenario) {
    const response = await fetch(`${urls.intake}/v1/intake/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', ...intake },
      body: JSON.stringify(e),
    });
    const body = await response.json();
    console.log(`demo: ${e.type.padEnd(22)} ${e.subject}  -> ${response.status} ${body.status ?? body.title}`);
  }
  const deadline = Date.now() + 30_000;
  let rows = [];
  while (Date.now() < deadline) {
    rows = [];
    for (const sector of ['health', 'social-development', 'protection']) {
      const page = await (
        await fetch(`${urls[sector]}/v1/${sector}/referrals?limit=500`, { headers: readers[sector] })
      ).json();
      rows.push(...page.items.filter((r) => r.personId in people));
    }
    if (routed(rows)) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  console.log('\ndemo: people at Lajas Blancas');
  for (const [id, who] of Object.entries(people)) console.log(`  ${id}  ${who}`);
  console.log('\ndemo: referrals routed');
  console.table(
    rows.map((r) => ({
      sector: r.sector,
      person: r.personId,
      type: r.type,
      priority: r.priority,
      servicePoint: r.servicePointId,
      status: r.cancellationReason ? `${r.status} (${r.cancellationReason})` : r.status,
    })),
  );
  console.log(`
Sign in first: every route but /health, /metrics and /docs needs a bearer token (README: getting a token).
  TOKEN=$(curl -s -d grant_type=password -d client_id=ruta-cli -d username=health-supervisor \\
          -d password=${DEMO_PASSWORD} ${tokenEndpoint} | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
  curl -H "Authorization: Bearer $TOKEN" ${urls.health}/v1/health/referrals
Demo users (password ${DEMO_PASSWORD}): health-|mides-|protection-caseworker-lajas-blancas, -caseworker-los-planes,
-supervisor; border-agent, auditor, coordinator, ruta-admin. Intake as the agency system:
  curl -s -d grant_type=client_credentials -d client_id=${AGENCY.client_id} -d client_secret=${AGENCY.client_secret} ${tokenEndpoint}

Where to look (roles in brackets):
  intake          POST ${urls.intake}/v1/intake/events   [border-agent]
  intake batch    POST ${urls.intake}/v1/intake/events:batch   {"events": [...]}, up to 500   [border-agent]
  health          GET  ${urls.health}/v1/health/referrals   [health caseworker: own service point; supervisor]
  social dev.     GET  ${urls['social-development']}/v1/social-development/referrals   [mides- users]
  protection      GET  ${urls.protection}/v1/protection/referrals?stationId=los-planes   [protection- users]
  decisions       GET  ${urls['social-development']}/v1/social-development/decisions?personId=LB-2026-000104
  audit history   GET  ${urls.audit}/v1/audit/events?subject=LB-2026-000101   [auditor]
  health/metrics  GET  <any service>/health/ready, /metrics   [open; admin when RUTA_OPEN_OPS_ENDPOINTS=false]
  OpenAPI         GET  <any service>/docs/openapi.json   [open]
Ctrl-C stops everything.`);
}

main().catch((error) => {
  console.error(`demo: ${error.message}`);
  process.exit(1);
});
