import { Counter } from 'prom-client';

/** Intake events by outcome: accepted, duplicate, or the rejection code. */
export const intakeOutcomes = new Counter({
  name: 'ruta_intake_events_total',
  help: 'Intake events by outcome',
  labelNames: ['outcome'],
});
