import type { CloudEvent } from '@ruta/contracts';
import { publishedEvent } from './published-event';

const ACCEPTED = new Date('2026-11-20T15:00:00.123Z');
const submitted = (extra: Partial<CloudEvent> = {}, data: Record<string, unknown> = {}): CloudEvent => ({
  specversion: '1.0',
  id: 'evt-1',
  source: 'minsa/lajas-blancas',
  type: 'health.incident-reported',
  subject: 'P-000123',
  data: { personId: 'P-000123', severity: 'critical', category: 'trauma', ...data },
  ...extra,
});

describe('publishedEvent', () => {
  it('fills the data time from the event time, and adds the sequence as 20 digits', () => {
    const event = submitted({ time: '2026-11-20T14:00:00-05:00' });
    expect(publishedEvent(event, ACCEPTED, '42')).toEqual({
      ...event,
      sequence: '00000000000000000042',
      data: { ...(event.data as object), reportedAt: '2026-11-20T14:00:00-05:00' },
    });
  });

  it('sets time to the moment of acceptance when the sender left it out, and the data time with it', () => {
    const published = publishedEvent(submitted(), ACCEPTED, 7);
    expect(published.time).toBe('2026-11-20T15:00:00.123Z');
    expect(published.data).toMatchObject({ reportedAt: '2026-11-20T15:00:00.123Z' });
  });

  it('keeps a data time the sender gave, and leaves the submitted event as it was', () => {
    const event = submitted({ time: '2026-11-20T14:00:00Z' }, { reportedAt: '2026-11-20T13:00:00Z' });
    const before = structuredClone(event);
    expect(publishedEvent(event, ACCEPTED, '1').data).toMatchObject({ reportedAt: '2026-11-20T13:00:00Z' });
    expect(event).toEqual(before);
  });

  it('fills the time field of every intake type', () => {
    const fields = {
      'person.registered': 'registeredAt',
      'household.linked': 'linkedAt',
      'vulnerability.screened': 'screenedAt',
      'consent.recorded': 'recordedAt',
      'asylum.intent-expressed': 'expressedAt',
      'health.incident-reported': 'reportedAt',
      'person.transferred': 'transferredAt',
      'person.departed': 'departedAt',
    };
    for (const [type, field] of Object.entries(fields)) {
      expect(publishedEvent(submitted({ type }), ACCEPTED, 1).data).toHaveProperty(field, ACCEPTED.toISOString());
    }
  });
});
