import { historyFilterOf, type HistoryRequest } from './history.request';

const request = (fields: Partial<HistoryRequest>): HistoryRequest => ({ limit: 1000, ...fields }) as HistoryRequest;
const fieldsOf = (answer: ReturnType<typeof historyFilterOf>) =>
  Array.isArray(answer) ? answer.map((e) => e.field) : answer;

describe('historyFilterOf', () => {
  it('takes exactly one filter', () => {
    expect(historyFilterOf(request({ personId: 'p-1a2' }))).toEqual({ kind: 'person', personId: 'p-1a2' });
    expect(historyFilterOf(request({ referralId: '5D3C1E0A-7B2F-4C1D-9E8A-1F2B3C4D5E6F' }))).toEqual({
      kind: 'referral',
      referralId: '5d3c1e0a-7b2f-4c1d-9e8a-1f2b3c4d5e6f',
    });
    expect(historyFilterOf(request({ servicePointId: 'health-x' }))).toEqual({
      kind: 'service-point',
      servicePointId: 'health-x',
    });
    expect(historyFilterOf(request({ from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00+01:00' }))).toEqual({
      kind: 'range',
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-11-01T23:00:00Z'),
    });
  });

  it('names the fields at fault: none, several, half a range, an empty or reversed one, one too wide', () => {
    expect(fieldsOf(historyFilterOf(request({})))).toEqual(['personId', 'referralId', 'servicePointId', 'from']);
    expect(fieldsOf(historyFilterOf(request({ servicePointId: 'a', from: '2026-11-01T00:00:00Z' })))).toEqual([
      'servicePointId',
      'from',
    ]);
    expect(fieldsOf(historyFilterOf(request({ personId: 'p-1a2', to: '2026-11-01T00:00:00Z' })))).toEqual(['from']);
    expect(fieldsOf(historyFilterOf(request({ from: '2026-11-01T00:00:00Z' })))).toEqual(['to']);
    const range = (from: string, to: string) => fieldsOf(historyFilterOf(request({ from, to })));
    expect(range('2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')).toEqual(['to']);
    expect(range('2026-11-01T00:00:00Z', '2025-11-01T00:00:00Z')).toEqual(['to']);
    expect(range('2025-10-30T00:00:00Z', '2026-11-01T00:00:00Z')).toEqual(['to']);
    expect(range('2025-11-01T00:00:00Z', '2026-11-01T00:00:00Z')).toMatchObject({ kind: 'range' });
  });
});
