import { authorise, type LifecycleCommand } from '../domain/lifecycle';
import { given } from '../domain/lifecycle/lifecycle.fixtures';
import { actorOf } from './actor-of';

describe('actorOf: a principal as the lifecycle sees it', () => {
  it('keeps subject, roles, sector and service point', () => {
    expect(
      actorOf({
        subject: 'cw-ana',
        roles: ['caseworker'],
        sector: 'health',
        servicePointId: 'health-lajas-blancas',
        clientId: 'ruta-web',
      }),
    ).toEqual({ subject: 'cw-ana', roles: ['caseworker'], sector: 'health', servicePointId: 'health-lajas-blancas' });
  });

  it('turns missing claims into nulls, so a caseworker without a point reaches no referral', () => {
    const actor = actorOf({ subject: 'cw-x', roles: ['caseworker'], sector: 'health', clientId: 'ruta-web' });
    expect(actor).toEqual({ subject: 'cw-x', roles: ['caseworker'], sector: 'health', servicePointId: null });
    const command: LifecycleCommand = { kind: 'accept', actor };
    expect(authorise(given('requested').state, command)).toMatchObject({ code: 'REFERRAL.OUT_OF_SCOPE' });
  });

  it('gives a supervisor without a point the whole sector, and nobody without a sector anything', () => {
    const supervisor = actorOf({ subject: 'sv-x', roles: ['supervisor'], sector: 'health', clientId: 'ruta-web' });
    expect(authorise(given('requested').state, { kind: 'accept', actor: supervisor })).toBeNull();
    const stranger = actorOf({ subject: 'sv-y', roles: ['supervisor'], clientId: 'ruta-web' });
    expect(stranger.sector).toBeNull();
    expect(authorise(given('requested').state, { kind: 'accept', actor: stranger })).toMatchObject({
      code: 'REFERRAL.OUT_OF_SCOPE',
    });
  });
});
