import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiIdempotencyKey } from '../idempotency';
import { ApiProblems, PROBLEM_SCHEMA } from '@ruta/platform';
import type { OverrideConsentAnswer } from './override-consent.command';

const ANSWER_EXAMPLE: OverrideConsentAnswer = {
  decisionId: '4182',
  overrideDecisionId: '4190',
  referralId: 'b7d1c2e0-3f4a-4c5b-9d6e-7f8a9b0c1d2e',
  referralType: 'international-protection',
  priority: 'urgent',
  servicePointId: 'protection-lajas-blancas',
  legalBasis: 'vital-interest',
  reason: 'vital-interest-emergency',
  overriddenAt: '2026-11-29T09:00:00.000Z',
};

/** A problem+json answer of this route, with one example per code. */
const problem = (status: number, description: string, examples: Record<string, object>) =>
  ApiResponse({
    status,
    description,
    content: {
      'application/problem+json': {
        schema: PROBLEM_SCHEMA as never,
        examples: Object.fromEntries(Object.entries(examples).map(([name, value]) => [name, { value }])),
      },
    },
  });

/** The OpenAPI description of POST /v1/<sector>/decisions/{decisionId}:override-consent. */
export const ApiOverrideConsent = () =>
  applyDecorators(
    ApiIdempotencyKey(),
    ApiResponse({ status: 201, description: 'overridden: the referral was made', schema: { example: ANSWER_EXAMPLE } }),
    ApiResponse({
      status: 200,
      description: 'overridden before: nothing changed, the first answer',
      schema: { example: ANSWER_EXAMPLE },
    }),
    ApiProblems('invalidRequest'),
    problem(403, 'urn:ruta:problem:forbidden: the caller is not a supervisor', {
      forbidden: {
        type: 'urn:ruta:problem:forbidden',
        title: 'forbidden',
        status: 403,
        detail: 'this route needs a role the caller does not have',
      },
    }),
    problem(404, "no such decision in this sector: another sector's decision is not confirmed to exist", {
      notFound: { type: 'urn:ruta:problem:referral.not-found', title: 'not found', status: 404, detail: 'not found' },
    }),
    problem(
      409,
      'DECISION.NOT_DEFERRED; DECISION.OVERRIDE_NOT_PERMITTED (gbv-case-management: consent, no exception)',
      {
        notPermitted: {
          type: 'urn:ruta:problem:decision.override-not-permitted',
          title: 'conflict',
          status: 409,
          detail: 'gbv-case-management is made only with consent',
          code: 'DECISION.OVERRIDE_NOT_PERMITTED',
        },
      },
    ),
    problem(
      422,
      'DECISION.CONSENT_IS_NOT_A_BASIS, REFERRAL.LEGAL_BASIS_REQUIRED, REFERRAL.REASON_REQUIRED, REFERRAL.UNKNOWN_REASON, ' +
        'REFERRAL.NOTE_REQUIRED, REFERRAL.NOTE_TOO_LONG, REQUEST.IDEMPOTENCY_KEY_REUSED: `errors` names the field',
      {
        consentIsNotABasis: {
          type: 'urn:ruta:problem:decision.consent-is-not-a-basis',
          title: 'unprocessable request',
          status: 422,
          detail: 'legalBasis must be a basis other than consent',
          code: 'DECISION.CONSENT_IS_NOT_A_BASIS',
          errors: [{ field: 'legalBasis', messages: ['legalBasis must be a basis other than consent'] }],
        },
      },
    ),
  );
