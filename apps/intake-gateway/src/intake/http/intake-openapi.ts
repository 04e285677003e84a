import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiResponse } from '@nestjs/swagger';
import { ID_PATTERN, type CloudEvent, type PersonRegisteredSubmissionV1 } from '@ruta/contracts';
import { ApiProblems } from '@ruta/platform';

/** The per-type JSON Schemas (generated from libs/contracts) that an event's `dataschema` names. */
const SCHEMAS_NOTE =
  'Each event type has a JSON Schema in libs/contracts/schemas/submissions (e.g. person.registered.v1.schema.json, ' +
  '$id urn:ruta:schema:person.registered:v1:submission); unknown members are refused.';

const CLOUD_EVENT_SCHEMA = {
  type: 'object',
  description: `A CloudEvents 1.0 structured event. ${SCHEMAS_NOTE}`,
  required: ['specversion', 'id', 'source', 'type', 'subject', 'data'],
  properties: {
    specversion: { type: 'string', enum: ['1.0'] },
    id: { type: 'string', maxLength: 128, pattern: ID_PATTERN.source },
    source: { type: 'string', maxLength: 256 },
    type: { type: 'string', example: 'person.registered' },
    subject: { type: 'string', description: 'the pseudonymous person id; equals data.personId' },
    time: { type: 'string', format: 'date-time' },
    datacontenttype: { type: 'string', enum: ['application/json'] },
    dataschema: { type: 'string', example: 'urn:ruta:schema:person.registered:v1' },
    data: { type: 'object', description: 'the event type’s payload, per its JSON Schema' },
  },
  additionalProperties: false,
};

const EVENT_EXAMPLE = {
  specversion: '1.0',
  id: 'evt-2026-11-20-0001',
  source: 'urn:ruta:station:lajas-blancas',
  type: 'person.registered',
  subject: 'p-7f3a9c2e41b8',
  time: '2026-11-20T14:05:00Z',
  datacontenttype: 'application/json',
  dataschema: 'urn:ruta:schema:person.registered:v1',
  data: {
    personId: 'p-7f3a9c2e41b8',
    stationId: 'lajas-blancas',
    registeredAt: '2026-11-20T14:05:00Z',
    ageYears: 29,
    sex: 'female',
    nationality: 'VEN',
    languages: ['es'],
    category: 'migrant',
  },
} satisfies CloudEvent<PersonRegisteredSubmissionV1>; // checked against the contract, so the example cannot drift

/** Both JSON media types the gateway reads; the route reads the body text itself, so it is described here. */
const jsonBody = (description: string, schema: object, example: object) =>
  applyDecorators(
    ApiConsumes('application/json', 'application/cloudevents+json'),
    ApiBody({ description, schema, examples: { 'person.registered': { value: example } } }),
  );

export const ApiIntakeEvent = () =>
  applyDecorators(
    jsonBody('one CloudEvent', CLOUD_EVENT_SCHEMA, EVENT_EXAMPLE),
    ApiResponse({
      status: 202,
      description: 'accepted',
      schema: { example: { id: EVENT_EXAMPLE.id, status: 'accepted' } },
    }),
    ApiOkResponse({
      description: 'this id was already accepted with the same content',
      schema: { example: { id: EVENT_EXAMPLE.id, status: 'duplicate' } },
    }),
    ApiProblems('invalidEvent', 'idConflict', 'tooLarge', 'unsupportedMedia', 'overloaded'),
  );

export const ApiIntakeBatch = () =>
  applyDecorators(
    jsonBody(
      '`{"events": [...]}`: up to the batch limit (INTAKE_BATCH_MAX_EVENTS, default 500) of CloudEvents',
      {
        type: 'object',
        required: ['events'],
        properties: { events: { type: 'array', minItems: 1, items: CLOUD_EVENT_SCHEMA } },
      },
      { events: [EVENT_EXAMPLE] },
    ),
    ApiOkResponse({
      description:
        'one result per event, in order: accepted, duplicate, or rejected with its code and the fields at fault',
      schema: {
        example: {
          accepted: 1,
          duplicate: 0,
          rejected: 1,
          results: [
            { id: EVENT_EXAMPLE.id, status: 'accepted' },
            { id: 'evt-2026-11-20-0002', status: 'rejected', code: 'INTAKE.ID_CONFLICT', errors: [] },
          ],
        },
      },
    }),
    ApiProblems('invalidRequest', 'tooLarge', 'unsupportedMedia', 'overloaded'),
  );
