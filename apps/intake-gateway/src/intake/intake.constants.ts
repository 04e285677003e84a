import { contractsByType, INTAKE_EVENT_CONTRACTS } from '@ruta/contracts';

export const INTAKE_SCHEMA = 'intake';
export const INTAKE_CONTRACTS = contractsByType(INTAKE_EVENT_CONTRACTS);
