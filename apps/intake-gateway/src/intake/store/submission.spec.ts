import { randomBytes } from 'node:crypto';
import { DEFAULT_REFERENCE_DATA } from '@ruta/routing';
import { personId, personRegistered } from '@ruta/testing';
import { IdentifierVault } from '../identifiers/identifier-vault';
import { JudgeContext } from './judge-context';
import { judgeSubmission, judgeSubmissionText, type Channel } from './submission';

const NOW = new Date('2026-11-20T15:00:00Z');
const HOUR = 60 * 60 * 1000;
const context = (vault = IdentifierVault.fromEnv({}), referenceData = DEFAULT_REFERENCE_DATA, now = () => NOW) =>
  new JudgeContext(vault, referenceData, now);

/** One event of `type` for `person`, sent at NOW, with `data` as given (no data time unless set). */
const event = (type: string, person: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: `evt-${randomBytes(6).toString('hex')}`,
  source: 'senafront/lajas-blancas',
  type,
  subject: person,
  time: NOW.toISOString(),
  data: { personId: person, ...data },
  ...extra,
});

/** Judged as a text on each channel: every channel must answer alike. */
const judgedFields = (raw: unknown, ctx = context()) =>
  (['http', 'kafka'] as Channel[]).map((channel) => {
    const judged = judgeSubmissionText(JSON.stringify(raw), ctx, channel, 64 * 1024);
    return judged.ok ? [] : judged.errors.map((e) => e.field);
  });
const accepted = (raw: unknown, ctx?: JudgeContext) => expect(judgedFields(raw, ctx)).toEqual([[], []]);
const refused = (raw: unknown, fields: string[], ctx?: JudgeContext) =>
  expect(judgedFields(raw, ctx)).toEqual([fields, fields]);

describe('judgeSubmission', () => {
  const person = personId();
  const registered = personRegistered(person);
  const withIdentifiers = { ...registered, data: { ...registered.data, identifiers: { documentNumber: 'V28391034' } } };

  it('splits the identifiers off a registration when the gateway has a key', () => {
    const vault = IdentifierVault.fromEnv({ RUTA_IDENTIFIERS_KEY: randomBytes(32).toString('base64') });
    const judged = judgeSubmission(
      withIdentifiers,
      context(vault, undefined, () => new Date()),
    );
    expect(judged).toEqual({
      ok: true,
      submission: { event: registered, identifiers: { documentNumber: 'V28391034' } },
    });
  });

  it('refuses identifiers, naming the field and not the value, when the gateway has no key', () => {
    const judged = judgeSubmission(
      withIdentifiers,
      context(undefined, undefined, () => new Date()),
    );
    expect(judged.ok).toBe(false);
    if (judged.ok) return;
    expect(judged.errors.map((e) => e.field)).toEqual(['data.identifiers']);
    expect(JSON.stringify(judged.errors)).not.toContain('V28391034');
    expect(judgeSubmission(registered, new JudgeContext(IdentifierVault.fromEnv({}), DEFAULT_REFERENCE_DATA))).toEqual({
      ok: true,
      submission: { event: registered },
    });
  });
});

describe('judgeSubmissionText: how strict intake is (PRODUCT.md)', () => {
  const P = personId();
  const registration = (data: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
    event(
      'person.registered',
      P,
      {
        stationId: 'lajas-blancas',
        ageYears: 29,
        sex: 'female',
        nationality: 'VEN',
        languages: ['es'],
        category: 'migrant',
        ...data,
      },
      extra,
    );

  it('accepts every intake type with its data time left out, and an event without time', () => {
    accepted(registration());
    accepted({ ...registration(), time: undefined });
    accepted(
      event('household.linked', P, {
        householdId: 'H-1',
        members: [{ personId: P, relationship: 'head' }],
        headPersonId: P,
        personId: undefined,
      }),
    );
    accepted(event('vulnerability.screened', P, { indicators: { needsFood: true } }));
    accepted(event('consent.recorded', P, { informationSharing: 'granted', sectors: ['health'] }));
    accepted(event('asylum.intent-expressed', P, { fearOfReturn: true }));
    accepted(event('health.incident-reported', P, { severity: 'critical', category: 'trauma' }));
    accepted(event('person.transferred', P, { fromStationId: 'lajas-blancas', toStationId: 'los-planes' }));
    accepted(event('person.departed', P, {}));
  });

  it('stores open labels as given, whatever their value, and bounds them', () => {
    accepted(registration({ sex: 'intersex', languages: ['Wayuunaiki', 'kreyòl ayisyen', 'es-419'] }));
    const link = (relationship: unknown) =>
      event('household.linked', P, {
        personId: undefined,
        householdId: 'H-1',
        members: [
          { personId: P, relationship: 'head' },
          { personId: personId(), relationship },
        ],
        headPersonId: P,
      });
    accepted(link('tío abuelo'));
    accepted(event('health.incident-reported', P, { severity: 'urgent', category: 'sospecha de dengue' }));
    refused(link('x'.repeat(65)), ['data.members.1.relationship']);
    refused(registration({ sex: 'f\u0000' }), ['data.sex']);
    refused(registration({ languages: ['es', ''] }), ['data.languages']);
    refused(registration({ languages: Array(11).fill('es') }), ['data.languages']);
    refused(event('health.incident-reported', P, { severity: 'grave', category: 'trauma' }), ['data.severity']);
  });

  it('refuses a station the reference data does not have, naming the field and not the value', () => {
    refused(registration({ stationId: 'no-such-station' }), ['data.stationId']);
    const transfer = (from: string, to: string) =>
      event('person.transferred', P, { fromStationId: from, toStationId: to });
    refused(transfer('lajas-blancas', 'no-such-station'), ['data.toStationId']);
    refused(transfer('no-such-station', 'los-planes'), ['data.fromStationId']);
    const judged = judgeSubmissionText(
      JSON.stringify(transfer('lajas-blancas', 'secret-place')),
      context(),
      'http',
      1e5,
    );
    expect(JSON.stringify(judged)).not.toContain('secret-place');
    // The stations are those of the reference data it was given (RUTA_REFERENCE_DATA).
    const elsewhere = {
      ...DEFAULT_REFERENCE_DATA,
      stations: [{ id: 'paso-canoas', name: 'Paso Canoas', region: 'Chiriquí' }],
    };
    accepted(registration({ stationId: 'paso-canoas' }), context(undefined, elsewhere));
    refused(registration(), ['data.stationId'], context(undefined, elsewhere));
  });

  it('refuses a birth date in the future, and takes one of today', () => {
    accepted(registration({ ageYears: undefined, birthDate: '2026-11-20' }));
    accepted(registration({ ageYears: undefined, birthDate: '2026-11-21' })); // already today east of UTC+9
    refused(registration({ ageYears: undefined, birthDate: '2026-11-22' }), ['data.birthDate']);
    refused(registration({ ageYears: undefined, birthDate: '2031-01-01' }), ['data.birthDate']);
  });

  it('refuses a time more than a day ahead of acceptance, in the envelope or in data', () => {
    const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
    accepted(registration({ registeredAt: at(23 * HOUR) }, { time: at(23 * HOUR) }));
    accepted(registration({ registeredAt: '2019-01-01T00:00:00Z' }));
    refused(registration({}, { time: at(25 * HOUR) }), ['time']);
    refused(registration({ registeredAt: at(25 * HOUR) }), ['data.registeredAt']);
    refused(event('person.departed', P, { departedAt: '2027-01-01' }), ['data.departedAt']);
  });

  it('refuses a negative age', () => {
    refused(registration({ ageYears: -1 }), ['data.ageYears']);
  });

  it('refuses `sequence` from a sender on every channel: only the gateway assigns it', () => {
    refused(registration({}, { sequence: '00000000000000000001' }), ['sequence']);
    refused(registration({ sequence: '00000000000000000001' }), ['data.sequence']); // a name some contract knows
  });
});
