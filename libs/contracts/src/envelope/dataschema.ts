/** The schema version of an event travels in `dataschema` as `urn:ruta:schema:<type>:v<n>`. */
export const DATASCHEMA_PREFIX = 'urn:ruta:schema:';
const DATASCHEMA_PATTERN = /^urn:ruta:schema:([a-z0-9][a-z0-9.-]{0,127}):v([1-9][0-9]{0,5})$/;

/** The `dataschema` value naming version `version` of event type `type`. */
export function dataschemaOf(type: string, version: number): string {
  return `${DATASCHEMA_PREFIX}${type}:v${version}`;
}

/** Type and version named by a `dataschema` value, or undefined when it is not a Ruta schema URN. */
export function parseDataschema(dataschema: string): { type: string; version: number } | undefined {
  const match = DATASCHEMA_PATTERN.exec(dataschema);
  return match ? { type: match[1]!, version: Number(match[2]) } : undefined;
}
