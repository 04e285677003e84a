import 'reflect-metadata';
import { validateCloudEvent } from '@ruta/contracts';
import { AUDITED_CONTRACTS } from '../audit.constants';
import { auditAccessMessage, type AuditCall } from './audit-access.message';

const NOW = new Date('2026-11-29T14:00:00.000Z');
const call = (route: string, parameters: Record<string, unknown>, status = 200): AuditCall => ({
  actor: 'au-eva',
  route,
  parameters,
  status,
});

/** One call of each audit route, with every parameter it takes, as the router hands them over. */
const CALLS: AuditCall[] = [
  call('GET /v1/audit/events', { subject: 'p-7f3a9c2e41b8', limit: '100', after: '41' }),
  call('GET /v1/audit/history', { personId: 'p-7f3a9c2e41b8', includeAccesses: 'true', limit: '10000' }),
  call('GET /v1/audit/history', { referralId: '5d3c1e0a-7b2f-4c1d-9e8a-1f2b3c4d5e6f' }),
  call('GET /v1/audit/history', { servicePointId: 'health-lajas-blancas', after: '9223372036854775807' }),
  call('GET /v1/audit/history', { from: '2026-11-01T00:00:00.000+05:00', to: '2026-11-29T14:00:00Z' }),
  call(
    'GET /v1/audit/referrals/:referralId/state',
    { referralId: '5D3C1E0A-7B2F-4C1D-9E8A-1F2B3C4D5E6F', asOf: '2026-11-29T14:00:00Z' },
    404,
  ),
  call('GET /v1/audit/people/:personId/disclosures', { personId: 'p-7f3a9c2e41b8', limit: '1000' }),
  call('GET /v1/audit/checkpoints/latest', {}),
  call('GET /v1/audit/checkpoints/:treeSize', { treeSize: '20000' }, 404),
  call('GET /v1/audit/proofs/inclusion', { eventId: 'evt-2026-11-20-0001:a.b_c', treeSize: '20000' }),
  call('GET /v1/audit/proofs/consistency', { from: '10000', to: '20000' }),
  call('POST /v1/audit/verify', {}, 500),
];

describe('auditAccessMessage', () => {
  it.each(CALLS.map((c) => [c.route, c] as const))('%s: an audit.accessed the log accepts', (_route, c) => {
    const message = auditAccessMessage(c, NOW);
    expect(validateCloudEvent(message.value, AUDITED_CONTRACTS)).toMatchObject({ ok: true });
    expect(message).toMatchObject({ topic: 'audit.accesses.v1', headers: { ce_type: 'audit.accessed' } });
  });

  it('is about the person a call names (subject and key), else the fixed audit-reads subject', () => {
    const [events, , byReferral] = CALLS.map((c) => auditAccessMessage(c, NOW));
    expect(events).toMatchObject({
      key: 'p-7f3a9c2e41b8',
      value: {
        subject: 'p-7f3a9c2e41b8',
        time: NOW.toISOString(),
        data: {
          actor: 'au-eva',
          route: 'GET /v1/audit/events',
          personId: 'p-7f3a9c2e41b8',
          parameters: { limit: '100', after: '41' },
          status: 200,
          accessedAt: NOW.toISOString(),
        },
      },
    });
    expect(byReferral).toMatchObject({
      key: 'audit-reads',
      value: { subject: 'audit-reads', data: { referralId: '5d3c1e0a-7b2f-4c1d-9e8a-1f2b3c4d5e6f', parameters: {} } },
    });
  });

  it('keeps only the parameters the contract names, and only as text', () => {
    const message = auditAccessMessage(
      call('GET /v1/audit/history', { personId: 'p-7f3a9c2e41b8', authorization: 'Bearer x', limit: ['1', '2'] }),
      NOW,
    );
    const data = (message.value as { data: Record<string, unknown> }).data;
    expect(data.parameters).toEqual({});
    expect(JSON.stringify(message)).not.toContain('Bearer');
  });
});
