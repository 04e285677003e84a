import { BadRequestException, type HttpException } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { inspectEvent, parseBoundedJson, type JsonLimits } from '@ruta/contracts';

/** Any JSON body but the intake routes' (they read their own): wide enough for every request Ruta takes. */
export const REQUEST_JSON_LIMITS: JsonLimits = { maxDepth: 16, maxValues: 10_000 };

/** Route config flag of the routes given their JSON body as text. */
const JSON_TEXT = 'rutaJsonText';

/** The route takes its JSON body as text and reads it itself, within its own bounds. */
export const JsonTextBody = (): MethodDecorator => RouteConfig({ [JSON_TEXT]: true });

export function takesJsonText(config: unknown): boolean {
  return typeof config === 'object' && config !== null && (config as Record<string, unknown>)[JSON_TEXT] === true;
}

const NO_FIELDS: ReadonlySet<string> = new Set();

/** A request body read within bounds; keys such as __proto__ or constructor are refused as on intake. */
export function readRequestJson(text: string): { ok: true; value: unknown } | { ok: false; error: HttpException } {
  const parsed = parseBoundedJson(text, REQUEST_JSON_LIMITS);
  if (!parsed.ok) return { ok: false, error: badBody(parsed.refusal.message) };
  if (inspectEvent(parsed.value, REQUEST_JSON_LIMITS.maxDepth, NO_FIELDS).blocking.length > 0) {
    return {
      ok: false,
      error: badBody('the body holds a field name that is not allowed (__proto__, constructor, prototype)'),
    };
  }
  return { ok: true, value: parsed.value };
}

function badBody(message: string): HttpException {
  return new BadRequestException({
    type: 'urn:ruta:problem:invalid-request',
    title: 'invalid request',
    detail: message,
    errors: [{ field: '', messages: [message] }],
  });
}
