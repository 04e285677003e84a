import { tokenFor, unsignedToken, type TestCaller, type TestIssuer } from '@ruta/testing';

/**
 * The two-user authorisation table: one row per route, saying who may call it and who may not.
 * `describeRouteAuthorisation` turns each row into tests that every refusal holds and says nothing.
 * To cover a new route, add a row (see test/authorisation.e2e-spec.ts); nothing else changes.
 */
export interface RouteRow {
  /** The service that serves it, a key of the context's `urls`. */
  service: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/v1/health/referrals?limit=5`; a function for one that needs the seeded ids. */
  path: string | (() => string);
  /** A JSON body, made afresh for every call (an intake event needs a new id each time). */
  body?: () => unknown;
  /** Extra headers every call sends (If-Match, Idempotency-Key, ...); made afresh for every call. */
  headers?: () => Record<string, string>;
  /** Callers who get through, with the status they get (the first of `allowed` also signs the bad tokens). */
  allowed: TestCaller[];
  /**
   * What an allowed caller is answered; 200 by default. Several when calls change what they act on
   * (a second allowed caller may meet a 409 or 412 where the first met a 200): any of them passes.
   */
  okStatus?: number | number[];
  /** Callers whose roles this route does not take: 403. */
  forbidden: TestCaller[];
  /** Callers who may not see what is there (another sector's): the 404 of a path that does not exist. */
  hidden?: TestCaller[];
  /**
   * What a caller sees: each value of `lacks` (ids of what is out of their scope) must be absent
   * from the answer, each of `has` present. Checked on top of the status.
   */
  sees?: { caller: TestCaller; path?: string | (() => string); has?: () => string[]; lacks: () => string[] }[];
}

export interface AuthorisationContext {
  urls: Record<string, string>;
  /** The issuer the services trust. */
  issuer: TestIssuer;
  /** Another issuer, with keys of its own: its tokens must be refused. */
  foreign: TestIssuer;
  /** Values that must never appear in a refusal (person ids, referral ids of the seeded data). */
  secrets: () => string[];
}

export interface Answer {
  status: number;
  challenge: string | null;
  type: string | null;
  text: string;
}

const pathOf = (path: string | (() => string)) => (typeof path === 'function' ? path() : path);
const okStatuses = (row: RouteRow) => [row.okStatus ?? 200].flat();

/** Calls the row's route with `authorization` (none when undefined). */
export async function callRoute(
  context: AuthorisationContext,
  row: RouteRow,
  authorization?: string,
  path: string | (() => string) = row.path,
): Promise<Answer> {
  const body = row.body?.();
  const response = await fetch(`${context.urls[row.service]}${pathOf(path)}`, {
    method: row.method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(row.headers?.() ?? {}),
      ...(authorization ? { authorization } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    type: response.headers.get('content-type'),
    text: await response.text(),
  };
}

const bearer = async (context: AuthorisationContext, caller: TestCaller) =>
  `Bearer ${await tokenFor(context.issuer, caller)}`;

/** Who a caller is, in a test's name. */
export const nameOf = (caller: TestCaller) =>
  [caller.roles.join('+'), caller.sector, caller.servicePoint].filter(Boolean).join(' ');

const labelOf = (row: RouteRow) =>
  `${row.method} ${row.service} ${typeof row.path === 'string' ? row.path : '(seeded)'}`;

/**
 * The tests of every row: no token, an expired token, another issuer's token and an `alg: none`
 * token are 401 with a challenge; each forbidden caller 403; each hidden caller the same 404 as an
 * unknown path; each allowed caller its status, seeing only what its scope holds. No refusal
 * repeats anything of the token or of the data behind the route.
 */
export function describeRouteAuthorisation(context: () => AuthorisationContext, rows: RouteRow[]): void {
  const expectSaysNothing = (answer: Answer, token?: string) => {
    expect(answer.type).toMatch(/^application\/problem\+json/);
    for (const secret of context().secrets()) expect(answer.text).not.toContain(secret);
    if (token) for (const part of token.split('.')) if (part.length > 8) expect(answer.text).not.toContain(part);
  };

  describe.each(rows.map((row) => [labelOf(row), row] as const))('%s', (_label, row) => {
    const signer = row.allowed[0]!;

    it('answers 401 with a bare challenge without a token', async () => {
      const answer = await callRoute(context(), row);
      expect({ status: answer.status, challenge: answer.challenge }).toEqual({
        status: 401,
        challenge: 'Bearer realm="ruta"',
      });
      expectSaysNothing(answer);
    });

    it('answers 401 to an expired token, saying it expired', async () => {
      const token = await context().issuer.token({
        sub: signer.sub,
        realm_access: { roles: signer.roles },
        sector: signer.sector,
        service_point: signer.servicePoint,
        iat: Math.floor(Date.now() / 1000) - 900,
        exp: Math.floor(Date.now() / 1000) - 600,
      });
      const answer = await callRoute(context(), row, `Bearer ${token}`);
      expect({ status: answer.status, challenge: answer.challenge }).toEqual({
        status: 401,
        challenge: 'Bearer realm="ruta", error="invalid_token", error_description="the token expired"',
      });
      expectSaysNothing(answer, token);
    });

    it("answers 401 to another issuer's token and to an unsigned (alg: none) one", async () => {
      for (const token of [await tokenFor(context().foreign, signer), unsignedToken(context().issuer, signer)]) {
        const answer = await callRoute(context(), row, `Bearer ${token}`);
        expect({ status: answer.status, challenge: answer.challenge }).toEqual({
          status: 401,
          challenge: 'Bearer realm="ruta", error="invalid_token"',
        });
        expectSaysNothing(answer, token);
      }
    });

    if (row.forbidden.length > 0) {
      it.each(row.forbidden.map((caller) => [nameOf(caller), caller] as const))(
        'answers 403 to %s',
        async (_name, caller) => {
          const answer = await callRoute(context(), row, await bearer(context(), caller));
          expect({ status: answer.status, challenge: answer.challenge }).toEqual({
            status: 403,
            challenge: 'Bearer realm="ruta", error="insufficient_scope"',
          });
          expectSaysNothing(answer);
        },
      );
    }

    if (row.hidden?.length) {
      it.each(row.hidden.map((caller) => [nameOf(caller), caller] as const))(
        'answers %s the 404 of a path that does not exist',
        async (_name, caller) => {
          const authorization = await bearer(context(), caller);
          const answer = await callRoute(context(), row, authorization);
          const unknown = await callRoute(context(), { ...row, path: '/v1/no-such-route' }, authorization);
          expect({ status: answer.status, text: answer.text }).toEqual({ status: 404, text: unknown.text });
          expectSaysNothing(answer);
        },
      );
    }

    it.each(row.allowed.map((caller) => [nameOf(caller), caller] as const))(
      `answers %s ${okStatuses(row).join(' or ')}`,
      async (_name, caller) => {
        const answer = await callRoute(context(), row, await bearer(context(), caller));
        expect(okStatuses(row)).toContain(answer.status);
      },
    );

    if (row.sees?.length) {
      it.each(row.sees.map((view) => [nameOf(view.caller), view] as const))(
        'shows %s only what is in their scope',
        async (_name, view) => {
          const answer = await callRoute(context(), row, await bearer(context(), view.caller), view.path ?? row.path);
          expect(okStatuses(row)).toContain(answer.status);
          for (const value of view.lacks()) expect(answer.text).not.toContain(value);
          for (const value of view.has?.() ?? []) expect(answer.text).toContain(value);
        },
      );
    }
  });
}
