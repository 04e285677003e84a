import { consumerMaxAttempts } from './consumer.config';

describe('RUTA_CONSUMER_MAX_ATTEMPTS', () => {
  it('defaults to 5 and takes a whole number from 1 to 100', () => {
    expect(consumerMaxAttempts(undefined)).toBe(5);
    expect(consumerMaxAttempts('')).toBe(5);
    expect(consumerMaxAttempts('1')).toBe(1);
    expect(consumerMaxAttempts('100')).toBe(100);
  });

  it('refuses anything else at boot, with a message naming the setting', () => {
    for (const raw of ['0', '101', '2.5', '-1', 'five', ' 3'])
      expect(() => consumerMaxAttempts(raw)).toThrow('RUTA_CONSUMER_MAX_ATTEMPTS must be a whole number from 1 to 100');
  });
});
