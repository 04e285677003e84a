import { parkedRequest } from './parked.cli-args';

describe('npm run parked: the admin request of a command line', () => {
  it('lists a service’s parked messages, by default the health service’s', () => {
    expect(parkedRequest(['list'], {})).toEqual({ method: 'GET', url: 'http://127.0.0.1:3001/v1/admin/parked' });
    expect(parkedRequest(['list', '--service', 'audit-service', '--group', 'audit-service'], {})).toEqual({
      method: 'GET',
      url: 'http://127.0.0.1:3004/v1/admin/parked?group=audit-service',
    });
  });

  it('retries or releases a group, or the key parked at one position', () => {
    expect(parkedRequest(['retry', '--group', 'health-service'], {})).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:3001/v1/admin/parked/retry',
      body: { group: 'health-service' },
    });
    expect(
      parkedRequest(['release', '--topic', 'intake.events.v1', '--partition', '2', '--offset', '17'], {
        RUTA_ADMIN_URL: 'http://10.0.0.5:8080/',
      }),
    ).toEqual({
      method: 'POST',
      url: 'http://10.0.0.5:8080/v1/admin/parked/release',
      body: { topic: 'intake.events.v1', partition: 2, offset: '17' },
    });
  });

  it('refuses a command it does not know, an unknown service and an offset without its topic', () => {
    expect(() => parkedRequest(['drop'], {})).toThrow(/usage/);
    expect(() => parkedRequest(['list', '--service', 'nope'], {})).toThrow(/unknown service/);
    expect(() => parkedRequest(['retry', '--offset', '3'], {})).toThrow(/--topic and --partition/);
  });
});
