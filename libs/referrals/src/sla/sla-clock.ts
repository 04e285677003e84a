/** The clock the SLA scheduler and the SLA flags of lists read: the system clock, replaced in tests. */
export const SLA_CLOCK = Symbol('SLA_CLOCK');

export { systemClock } from '../casework/casework-clock';
