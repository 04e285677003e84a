import { Transform } from 'class-transformer';
import { IsIn, IsInt, Matches, Max, Min, ValidateBy, type ValidationOptions } from 'class-validator';

/** Applies several property decorators as one. */
function all(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** An integer from `min` to `max` (written in decimal digits). */
export function IntegerSetting(min: number, max: number): PropertyDecorator {
  const message = { message: `must be an integer from ${min} to ${max}` };
  // Only plain digits count: "1e6", "0x10" or " 12" are not what an operator means to write.
  const toNumber = Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN));
  return all(toNumber, IsInt(message), Min(min, message), Max(max, message));
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
