/** One page of casework referrals as the lists answer it (OpenAPI examples). */
export const CASEWORK_PAGE_EXAMPLE = {
  items: [
    {
      id: 'b7d1c2e0-3f4a-4c5b-9d6e-7f8a9b0c1d2e',
      personId: 'p-7f3a9c2e41b8',
      sector: 'health',
      type: 'emergency-care',
      priority: 'emergency',
      status: 'requested',
      servicePointId: 'health-lajas-blancas',
      stationId: 'lajas-blancas',
      legalBasis: 'vital-interest',
      ruleSetVersion: 'default-v1',
      decisionInputs: { critical: true },
      sourceEventId: 'evt-2026-11-20-0002',
      cancellationReason: null,
      assignee: null,
      createdAt: '2026-11-20T14:06:00.000000Z',
      updatedAt: '2026-11-20T14:06:00.000000Z',
      sla: {
        acknowledgeBy: '2026-11-20T15:06:00.000000Z',
        completeBy: '2026-11-21T14:06:00.000000Z',
        overdue: 'acknowledge',
      },
    },
  ],
  nextCursor: 'eyJyYW5rIjoiMCJ9',
};
