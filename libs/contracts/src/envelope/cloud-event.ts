/** CloudEvents 1.0 structured-mode JSON, as it travels on Kafka and over HTTP. */
export interface CloudEvent<TData = unknown, TType extends string = string> {
  specversion: '1.0';
  id: string;
  source: string;
  type: TType;
  subject: string;
  time?: string;
  datacontenttype?: 'application/json';
  dataschema?: string;
  /** CloudEvents Sequence extension: the gateway's per-person acceptance order (intake events only). */
  sequence?: string;
  data: TData;
}

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';
