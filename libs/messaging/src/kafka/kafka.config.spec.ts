import { kafkaNamespace } from './kafka.config';

describe('kafkaNamespace', () => {
  it('is empty when unset and separates a namespace from the name with a dot', () => {
    expect(kafkaNamespace(undefined)).toBe('');
    expect(kafkaNamespace('')).toBe('');
    expect(kafkaNamespace('accept')).toBe('accept.');
    expect(kafkaNamespace('test-abc.')).toBe('test-abc.');
  });

  it('refuses a namespace that is not a plain name', () => {
    expect(() => kafkaNamespace('../x')).toThrow('RUTA_KAFKA_NAMESPACE');
    expect(() => kafkaNamespace('a b')).toThrow('RUTA_KAFKA_NAMESPACE');
  });
});
