import { Controller, Get, Module, type LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp, loggerModule } from '@ruta/platform';
import { register } from 'prom-client';
import { signingKey, segment, TestIssuer } from '../../test/test-issuer';
import { AuthModule } from '../auth.module';
import type { Principal } from '../principal';
import { CurrentPrincipal, Public, Roles } from './auth.decorators';

@Controller('probe')
class ProbeController {
  @Public()
  @Get('open')
  open() {
    return { open: true };
  }

  @Roles('caseworker', 'supervisor')
  @Get('casework')
  casework(@CurrentPrincipal() principal: Principal) {
    return { sector: principal.sector, roles: principal.roles };
  }

  @Roles('admin')
  @Get('admin')
  admin() {
    return { admin: true };
  }

  @Get('unlabelled')
  unlabelled() {
    return { reached: true };
  }
}

/** Stands for the platform's health controller, which cannot carry @Public. */
@Controller('status')
class StatusController {
  @Get()
  status() {
    return { up: true };
  }
}

/** Keeps every log line the app writes, to show what it says about refused tokens. */
class KeptLogs implements LoggerService {
  readonly lines: string[] = [];
  private keep = (...parts: unknown[]) => void this.lines.push(parts.map(String).join(' '));
  log = this.keep;
  error = this.keep;
  warn = this.keep;
  debug = this.keep;
  verbose = this.keep;
}

const PROBLEM = expect.stringMatching(/^application\/problem\+json/);

// Claim values that must never reach an answer or a log line.
const SECRETS = { sub: 'subject-7f3a9c', email: 'ana.perez@example.org', name: 'Ana Pérez' };

describe('AuthGuard over HTTP (Fastify app from createServiceApp)', () => {
  let issuer: TestIssuer;
  let app: NestFastifyApplication;
  let base: string;
  const logs = new KeptLogs();

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    const verifier = issuer.verifier();
    @Module({
      imports: [loggerModule('auth-probe'), AuthModule.forRoot({ verifier, openControllers: [StatusController] })],
      controllers: [ProbeController, StatusController],
    })
    class ProbeModule {}
    app = await createServiceApp(ProbeModule);
    app.useLogger(logs);
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });
  afterAll(async () => {
    await app.close();
    await issuer.stop();
  });

  const call = async (path: string, authorization?: string) => {
    const response = await fetch(`${base}/probe/${path}`, authorization ? { headers: { authorization } } : {});
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      challenge: response.headers.get('www-authenticate'),
      retryAfter: response.headers.get('retry-after'),
      text: await response.text(),
    };
  };
  const token = (claims: Record<string, unknown> = {}) => issuer.token({ ...SECRETS, ...claims });
  const bearer = async (claims: Record<string, unknown> = {}) => `Bearer ${await token(claims)}`;

  /** Nothing of the token, its claims or its roles in the body or the logs. */
  const leaksNothing = (text: string, sent?: string) => {
    for (const value of [...Object.values(SECRETS), 'lajas-blancas-health', 'caseworker', 'ruta-web', issuer.url])
      expect(text).not.toContain(value);
    if (sent)
      for (const part of sent.replace(/^Bearer /, '').split('.')) if (part.length > 8) expect(text).not.toContain(part);
  };

  it('serves a @Public route and an open controller without a token', async () => {
    expect(await call('open')).toMatchObject({ status: 200, text: '{"open":true}' });
    expect((await fetch(`${base}/status`)).status).toBe(200);
  });

  it.each([[undefined], ['Basic dXNlcjpwYXNz']])(
    'answers 401 with a bare challenge without bearer credentials (%p)',
    async (header) => {
      const answer = await call('casework', header);
      expect(answer).toMatchObject({ status: 401, type: PROBLEM, challenge: 'Bearer realm="ruta"' });
      expect(JSON.parse(answer.text)).toEqual({
        type: 'urn:ruta:problem:unauthorized',
        title: 'unauthorized',
        status: 401,
        detail: 'a bearer token is required',
      });
    },
  );

  it('answers 401 invalid_token to garbled, oversized, forged and foreign tokens, saying nothing of them', async () => {
    const attacker = await signingKey(issuer.key.kid);
    const headers = [
      'Bearer',
      'Bearer not.a-token',
      `Bearer ${'a'.repeat(9000)}.b.c`,
      `Bearer ${segment({ alg: 'none' })}.${segment(issuer.claims(SECRETS))}.`,
      `Bearer ${await issuer.token(SECRETS, attacker)}`,
      await bearer({ iss: 'https://elsewhere.example/realms/ruta' }),
      await bearer({ aud: 'other-api' }),
      await bearer({ nbf: Math.floor(Date.now() / 1000) + 600 }),
    ];
    for (const header of headers) {
      const answer = await call('casework', header);
      expect(answer).toMatchObject({
        status: 401,
        type: PROBLEM,
        challenge: 'Bearer realm="ruta", error="invalid_token"',
      });
      expect(JSON.parse(answer.text)).toMatchObject({
        type: 'urn:ruta:problem:unauthorized',
        detail: 'the bearer token is not valid',
      });
      leaksNothing(answer.text, header);
    }
  });

  it('says an expired token expired, and only that', async () => {
    const header = await bearer({ exp: Math.floor(Date.now() / 1000) - 120 });
    const answer = await call('casework', header);
    expect(answer.status).toBe(401);
    expect(answer.challenge).toBe('Bearer realm="ruta", error="invalid_token", error_description="the token expired"');
    expect(JSON.parse(answer.text).detail).toBe('the bearer token has expired');
    leaksNothing(answer.text, header);
  });

  it('answers 200 with the principal to a role the route names', async () => {
    const answer = await call(
      'casework',
      await bearer({ realm_access: { roles: ['supervisor', 'uma_authorization'] } }),
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ sector: 'health', roles: ['supervisor'] });
  });

  it('answers 403 without the role, and on a route that names no roles', async () => {
    for (const path of ['admin', 'unlabelled']) {
      const answer = await call(path, await bearer());
      expect(answer).toMatchObject({
        status: 403,
        type: PROBLEM,
        challenge: 'Bearer realm="ruta", error="insufficient_scope"',
      });
      expect(JSON.parse(answer.text)).toEqual({
        type: 'urn:ruta:problem:forbidden',
        title: 'forbidden',
        status: 403,
        detail: 'this route needs a role the caller does not have',
      });
      leaksNothing(answer.text);
    }
    // An unknown role named "admin" elsewhere in the token grants nothing.
    expect(
      (await call('admin', await bearer({ resource_access: { 'ruta-api': { roles: ['admin'] } }, roles: ['admin'] })))
        .status,
    ).toBe(403);
    expect((await call('admin', await bearer({ realm_access: { roles: ['admin'] } }))).status).toBe(200);
  });

  it('closes the ops controllers to all but admins when RUTA_OPEN_OPS_ENDPOINTS is false', async () => {
    process.env.RUTA_OPEN_OPS_ENDPOINTS = 'false';
    @Module({
      imports: [
        loggerModule('auth-ops'),
        AuthModule.forRoot({ verifier: issuer.verifier(), openControllers: [StatusController] }),
      ],
      controllers: [StatusController, ProbeController],
    })
    class ClosedOpsModule {}
    const closed = await createServiceApp(ClosedOpsModule);
    delete process.env.RUTA_OPEN_OPS_ENDPOINTS;
    await closed.listen(0, '127.0.0.1');
    try {
      const url = `${await closed.getUrl()}/status`;
      const status = async (claims?: Record<string, unknown>) =>
        (await fetch(url, claims ? { headers: { authorization: await bearer(claims) } } : {})).status;
      expect(await status()).toBe(401);
      expect(await status({ realm_access: { roles: ['supervisor', 'auditor'] } })).toBe(403);
      expect(await status({ realm_access: { roles: ['admin'] } })).toBe(200);
      // Other routes keep their own rules.
      expect((await fetch(`${await closed.getUrl()}/probe/open`)).status).toBe(200);
    } finally {
      await closed.close();
    }
  });

  it('answers 503 with Retry-After while the issuer keys are out of reach, a fresh verifier being unable to fetch them', async () => {
    const outage = await TestIssuer.start();
    outage.status = 503;
    const verifier = outage.verifier();
    @Module({
      imports: [loggerModule('auth-outage'), AuthModule.forRoot({ verifier })],
      controllers: [ProbeController],
    })
    class OutageModule {}
    const down = await createServiceApp(OutageModule);
    await down.listen(0, '127.0.0.1');
    try {
      const response = await fetch(`${await down.getUrl()}/probe/casework`, {
        headers: { authorization: `Bearer ${await outage.token()}` },
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toMatchObject({ type: 'urn:ruta:problem:auth-unavailable' });
    } finally {
      await down.close();
      await outage.stop();
    }
  });

  it('counts refusals by outcome, with no other label', async () => {
    const counted = (await register.getSingleMetric('ruta_auth_refusals_total')!.get()).values;
    const byOutcome = Object.fromEntries(counted.map((v) => [v.labels.outcome, v.value]));
    expect(byOutcome).toMatchObject({ missing: 3, invalid: 8, expired: 1, forbidden: 4, unavailable: 1 });
    for (const value of counted) expect(Object.keys(value.labels)).toEqual(['outcome']);
  });

  it('logs refusals by cause only, never a token or a claim value', () => {
    const said = logs.lines.join('\n');
    expect(said).toMatch(/token refused: (iss|aud|nbf|ERR_[A-Z_]+|header)/);
    expect(said).toContain('ProbeController.unlabelled declares neither @Roles nor @Public');
    leaksNothing(said);
    expect(said).not.toMatch(/eyJ/);
  });
});
