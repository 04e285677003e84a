import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { Equals, IsString, validateSync } from 'class-validator';
import { flattenValidationErrors } from '@ruta/contracts';
import { safeFieldPath, toDeadLetterMessage, type DeadLetterRecord } from './dead-letter';

class Payload {
  @Equals('1.0')
  version: string;

  @IsString()
  station: string;
}

/** The field errors class-validator gives for a payload, as the consumers see them. */
function errorsOf(raw: object) {
  const options = { whitelist: true, forbidNonWhitelisted: true };
  return flattenValidationErrors(validateSync(plainToInstance(Payload, raw), options), 'data');
}

describe('dead-letter records', () => {
  it('keep the paths of contract fields and mask the names of fields the contract does not know', () => {
    const errors = errorsOf({ version: '2.0', station: 'lajas-blancas', MariaPerezGonzalez: 'x' });
    expect(errors.map(safeFieldPath).sort()).toEqual(['data.(unknown field)', 'data.version']);
    expect(safeFieldPath({ field: 'data.name with spaces', messages: [] })).toBe('(unrecognised field)');
  });

  it('say where the message is and what was wrong, never what it said', () => {
    const errors = errorsOf({ version: '2.0', station: 7, 'María Pérez': 'VEN-123' });
    const message = toDeadLetterMessage(
      { topic: 'intake.events.v1', partition: 2, offset: '41', code: 'MESSAGE.INVALID', errors, eventId: 'evt-41' },
      'health-intake',
      { namespace: 'staging.', now: new Date('2026-11-28T10:00:00Z') },
    );
    const record = message.value as DeadLetterRecord;
    expect(message.topic).toBe('intake.events.v1.dlq');
    expect({ ...record, fields: [...record.fields].sort() }).toEqual({
      sourceTopic: 'staging.intake.events.v1',
      sourcePartition: 2,
      sourceOffset: '41',
      group: 'health-intake',
      errorCode: 'MESSAGE.INVALID',
      fields: ['data.(unknown field)', 'data.station', 'data.version'],
      failedAt: '2026-11-28T10:00:00.000Z',
      eventId: 'evt-41',
    });
    expect(message.headers).toMatchObject({
      'ruta-dlq-event-id': 'evt-41',
      'ruta-dlq-source-topic': 'staging.intake.events.v1',
    });
    expect(JSON.stringify(message)).not.toMatch(/María|VEN-123/);
  });

  it('leave out an event id that is not a well-formed one', () => {
    const letter = { topic: 't.v1', partition: 0, offset: '1', code: 'MESSAGE.INVALID', errors: [] };
    const message = toDeadLetterMessage({ ...letter, eventId: 'María Pérez' }, 'g');
    expect(message.value).not.toHaveProperty('eventId');
    expect(JSON.stringify(message)).not.toContain('María');
  });
});
