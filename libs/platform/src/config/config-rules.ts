import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, Matches, Max, Min, ValidateBy, type ValidationOptions } from 'class-validator';

/** Applies several property decorators as one. */
function all(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/**
 * The parsed URL when `value` is an absolute URL with one of `protocols` and a host, else what is
 * wrong with it (`scheme` says the allowed schemes in words); never the value itself.
 */
export function readUrlSetting(value: unknown, protocols: readonly string[], scheme: string): URL | string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    return 'it is not a URL';
  }
  if (!protocols.includes(url.protocol)) return `the scheme is not ${scheme}`;
  return url.hostname ? url : 'it names no host';
}

/** An integer from `min` to `max` (written in decimal digits). */
export function IntegerSetting(min: number, max: number): PropertyDecorator {
  const message = { message: `must be an integer from ${min} to ${max}` };
  // Only plain digits count: "1e6", "0x10" or " 12" are not what an operator means to write.
  const toNumber = Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN));
  return all(toNumber, IsInt(message), Min(min, message), Max(max, message));
}

/** `true` or `false`, as written (no yes/1/on: one spelling an operator cannot misread). */
export function BooleanSetting(): PropertyDecorator {
  const toBoolean = Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));
  return all(toBoolean, IsBoolean({ message: 'must be true or false' }));
}

/** One of the given words. */
export function OneOfSetting(values: readonly string[]): PropertyDecorator {
  return IsIn(values, { message: `must be one of ${values.join(', ')}` });
}

/** A string matching `pattern`; `rule` says in words what that is. */
export function PatternSetting(pattern: RegExp, rule: string): PropertyDecorator {
  return Matches(pattern, { message: `must be ${rule}` });
}

/** A setting checked by `valid`; `rule` (or the problem `valid` answers) says what is wrong. */
export function CheckedSetting(
  name: string,
  valid: (value: unknown) => true | string,
  rule: string,
  options?: ValidationOptions,
): PropertyDecorator {
  let problem = '';
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value) => {
          const result = valid(value);
          problem = result === true ? '' : result;
          return result === true;
        },
        defaultMessage: () => (problem ? `must be ${rule} (${problem})` : `must be ${rule}`),
      },
    },
    options,
  );
}
