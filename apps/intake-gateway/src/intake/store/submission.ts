import { splitDirectIdentifiers, validateCloudEvent, type CloudEvent, type FieldError } from '@ruta/contracts';
import type { IdentifierVault } from '../identifiers/identifier-vault';
import { INTAKE_CONTRACTS } from '../intake.constants';

/** A valid submission: the event as it will be stored and published, and its identifiers apart. */
export interface Submission {
  event: CloudEvent;
  identifiers?: object;
}

export type JudgedSubmission = { ok: true; submission: Submission } | { ok: false; errors: FieldError[] };

/**
 * Judges one submitted event, whatever channel it came in on: valid against its contract, and
 * carrying direct identifiers only where the gateway can encrypt them. The identifiers are split
 * off here, so nothing downstream of this function can publish them.
 */
export function judgeSubmission(raw: unknown, vault: IdentifierVault): JudgedSubmission {
  const validation = validateCloudEvent(raw, INTAKE_CONTRACTS);
  if (!validation.ok) return { ok: false, errors: validation.errors };
  const { event, identifiers } = splitDirectIdentifiers(validation.event);
  if (identifiers && !vault.enabled) {
    return {
      ok: false,
      errors: [
        {
          field: 'data.identifiers',
          messages: ['this gateway has no key to encrypt direct identifiers; send the event without them'],
        },
      ],
    };
  }
  return { ok: true, submission: identifiers ? { event, identifiers } : { event } };
}
