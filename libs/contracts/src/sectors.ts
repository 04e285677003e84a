export const SECTORS = ['health', 'social-development', 'protection'] as const;
export type Sector = (typeof SECTORS)[number];

export const PRIORITIES = ['emergency', 'urgent', 'routine'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const LEGAL_BASES = ['consent', 'vital-interest', 'best-interests-of-child'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];
