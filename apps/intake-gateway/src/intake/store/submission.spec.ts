import { randomBytes } from 'node:crypto';
import { personId, personRegistered } from '@ruta/testing';
import { IdentifierVault } from '../identifiers/identifier-vault';
import { judgeSubmission } from './submission';

describe('judgeSubmission', () => {
  const person = personId();
  const event = personRegistered(person);
  const withIdentifiers = { ...event, data: { ...event.data, identifiers: { documentNumber: 'V28391034' } } };

  it('splits the identifiers off a registration when the gateway has a key', () => {
    const vault = IdentifierVault.fromEnv({ RUTA_IDENTIFIERS_KEY: randomBytes(32).toString('base64') });
    const judged = judgeSubmission(withIdentifiers, vault);
    expect(judged).toEqual({ ok: true, submission: { event, identifiers: { documentNumber: 'V28391034' } } });
  });

  it('refuses identifiers, naming the field and not the value, when the gateway has no key', () => {
    const judged = judgeSubmission(withIdentifiers, IdentifierVault.fromEnv({}));
    expect(judged.ok).toBe(false);
    if (judged.ok) return;
    expect(judged.errors.map((e) => e.field)).toEqual(['data.identifiers']);
    expect(JSON.stringify(judged.errors)).not.toContain('V28391034');
    expect(judgeSubmission(event, IdentifierVault.fromEnv({}))).toEqual({ ok: true, submission: { event } });
  });
});
