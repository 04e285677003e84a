import type { ScenarioData, ScenarioEventType } from './scenario-events';

/** `data` before the scheduler stamps (or leaves out) its time field. */
export type UntimedData<T extends ScenarioEventType> = Omit<
  ScenarioData[T],
  | 'registeredAt'
  | 'linkedAt'
  | 'screenedAt'
  | 'recordedAt'
  | 'expressedAt'
  | 'reportedAt'
  | 'transferredAt'
  | 'departedAt'
>;

/** An event a group's plan wants at `at` hours after the scenario starts; the scheduler gives it a round. */
export type PlannedEvent = {
  [T in ScenarioEventType]: { at: number; type: T; subject: string; station: string; data: UntimedData<T> };
}[ScenarioEventType];

export function planned<T extends ScenarioEventType>(
  at: number,
  type: T,
  subject: string,
  station: string,
  data: UntimedData<T>,
): PlannedEvent {
  return { at, type, subject, station, data } as PlannedEvent;
}
