import { indicatorsOf } from '../rules/rule';
import { HEALTH_RULES_V1, PROTECTION_RULES_V1 } from '../rules/default-v1.rules';
import { evolvePersonView } from './evolve';
import { emptyView } from './person-view';

const screening = (indicators: Record<string, boolean>) => ({
  specversion: '1.0' as const,
  id: 'e1',
  source: 's',
  type: 'vulnerability.screened',
  subject: 'P-1',
  data: { personId: 'P-1', screenedAt: '2026-11-20T14:30:00Z', indicators },
});

describe('evolvePersonView', () => {
  it('keeps only the indicators the sector reads: health never sees sensitive ones', () => {
    const view = evolvePersonView(
      emptyView('P-1'),
      screening({ pregnant: true, gbvRisk: true, lgbtiqAtRisk: true }),
      indicatorsOf(HEALTH_RULES_V1),
    );
    expect(view.indicators).toEqual({ pregnant: true });
  });

  it('lets protection keep the sensitive indicators its rules read', () => {
    const view = evolvePersonView(
      emptyView('P-1'),
      screening({ pregnant: true, gbvRisk: true }),
      indicatorsOf(PROTECTION_RULES_V1),
    );
    expect(view.indicators).toEqual({ gbvRisk: true });
  });

  it('replaces the indicators of the previous screening', () => {
    const visible = indicatorsOf(HEALTH_RULES_V1);
    const first = evolvePersonView(emptyView('P-1'), screening({ pregnant: true, injury: true }), visible);
    expect(evolvePersonView(first, screening({ malnutrition: true }), visible).indicators).toEqual({
      malnutrition: true,
    });
  });
});
