import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

/** RFC 9457 problem+json as ProblemFilter writes it. */
export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', description: 'urn:ruta:problem:<code>, or about:blank for framework errors' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      description: 'the fields at fault (400/413), never the values sent',
      items: {
        type: 'object',
        required: ['field', 'messages'],
        properties: {
          field: { type: 'string' },
          messages: { type: 'array', items: { type: 'string' } },
          unknown: { type: 'boolean' },
        },
      },
    },
  },
} as const;

/** The problems a route can answer, each with its status, type and an example. */
export const PROBLEMS = {
  invalidRequest: {
    status: 400,
    description: 'urn:ruta:problem:invalid-request: the fields at fault are named in `errors`',
    example: {
      type: 'urn:ruta:problem:invalid-request',
      title: 'invalid request',
      status: 400,
      detail: 'fields at fault: limit',
      errors: [{ field: 'limit', messages: ['limit must not be greater than 500'] }],
    },
  },
  invalidEvent: {
    status: 400,
    description: 'urn:ruta:problem:intake.invalid-event (or invalid-request for a body that is not JSON)',
    example: {
      type: 'urn:ruta:problem:intake.invalid-event',
      title: 'invalid intake event',
      status: 400,
      detail: 'fields at fault: data.stationId',
      errors: [{ field: 'data.stationId', messages: ['stationId must be a station id such as lajas-blancas'] }],
    },
  },
  unauthorized: {
    status: 401,
    description:
      'urn:ruta:problem:unauthorized: no bearer token, or one that is not valid or has expired (see WWW-Authenticate)',
    example: {
      type: 'urn:ruta:problem:unauthorized',
      title: 'unauthorized',
      status: 401,
      detail: 'a bearer token is required',
    },
  },
  forbidden: {
    status: 403,
    description: 'urn:ruta:problem:forbidden: the token has none of the roles this route needs',
    example: {
      type: 'urn:ruta:problem:forbidden',
      title: 'forbidden',
      status: 403,
      detail: 'this route needs a role the caller does not have',
    },
  },
  authUnavailable: {
    status: 503,
    description: "urn:ruta:problem:auth-unavailable: the issuer's keys are out of reach; see Retry-After",
    example: {
      type: 'urn:ruta:problem:auth-unavailable',
      title: 'service unavailable',
      status: 503,
      detail: 'the token cannot be verified now',
    },
  },
  notFound: {
    status: 404,
    description: 'no such route',
    example: { type: 'about:blank', title: 'not found', status: 404, detail: 'no such resource' },
  },
  idConflict: {
    status: 409,
    description: 'INTAKE.ID_CONFLICT (urn:ruta:problem:intake.id-conflict): the id was accepted with other content',
    example: {
      type: 'urn:ruta:problem:intake.id-conflict',
      title: 'event id already used',
      status: 409,
      detail: 'an event with id 6f1c… was accepted with different content',
    },
  },
  tooLarge: {
    status: 413,
    description: 'the body is past the byte limit (about:blank) or the batch past its event count',
    example: {
      type: 'urn:ruta:problem:intake.batch-too-large',
      title: 'batch too large',
      status: 413,
      detail: 'at most 500 events per batch',
      errors: [{ field: 'events', messages: ['at most 500 events per batch'] }],
    },
  },
  unsupportedMedia: {
    status: 415,
    description: 'the body is not application/json or application/cloudevents+json',
    example: {
      type: 'about:blank',
      title: 'unsupported media type',
      status: 415,
      detail: 'the body must be JSON (application/json or application/cloudevents+json)',
    },
  },
  overloaded: {
    status: 429,
    description: 'urn:ruta:problem:intake.overloaded: too many requests in flight; see Retry-After',
    example: {
      type: 'urn:ruta:problem:intake.overloaded',
      title: 'intake overloaded',
      status: 429,
      detail: 'more than 256 intake requests in flight; retry after the Retry-After delay',
    },
  },
  notReady: {
    status: 503,
    description: 'urn:ruta:problem:not-ready: a dependency (database, messaging) is not ready',
    example: {
      type: 'urn:ruta:problem:not-ready',
      title: 'not ready',
      status: 503,
      detail: 'not ready: messaging (waiting: group health-service)',
    },
  },
  kafkaUnavailable: {
    status: 503,
    description: 'urn:ruta:problem:kafka-unavailable: Kafka could not be reached; see Retry-After',
    example: {
      type: 'urn:ruta:problem:kafka-unavailable',
      title: 'Kafka unavailable',
      status: 503,
      detail: 'Kafka could not be reached; the dead letters moved so far stay moved. Try again later.',
    },
  },
} as const;

export type ProblemName = keyof typeof PROBLEMS;

/** Documents the problem+json answers of a route; problems sharing a status are listed as examples of one. */
export function ApiProblems(...names: ProblemName[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ProblemName[]>();
  for (const name of names) byStatus.set(PROBLEMS[name].status, [...(byStatus.get(PROBLEMS[name].status) ?? []), name]);
  return applyDecorators(
    ...[...byStatus].map(([status, group]) =>
      ApiResponse({
        status,
        description: group.map((n) => PROBLEMS[n].description).join('; '),
        content: {
          'application/problem+json': {
            schema: PROBLEM_SCHEMA as never,
            examples: Object.fromEntries(group.map((n) => [n, { value: PROBLEMS[n].example }])),
          },
        },
      }),
    ),
  );
}
