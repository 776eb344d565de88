import { routeItem, type RouteRule, type RoutingConfig } from './notify-routing';

const route = (over: Partial<RouteRule>): RouteRule => ({
  id: 'r',
  subscriptionId: '*',
  subscriptionName: 'All',
  teamName: 'Platform',
  notificationEmail: 'platform@contoso.com',
  hasWebhook: false,
  ...over,
});

const config: RoutingConfig = {
  routes: [
    route({ id: 'all', subscriptionId: '*', teamName: 'Platform', notificationEmail: 'platform@contoso.com' }),
    route({
      id: 'prod',
      subscriptionId: 'sub-prod',
      teamName: 'Infra',
      notificationEmail: 'infra@contoso.com, oncall@contoso.com',
      hasWebhook: true,
    }),
    route({ id: 'pay', subscriptionId: 'sub-pay', teamName: 'Payments', notificationEmail: 'pay@contoso.com' }),
  ],
  defaultEmail: 'security@contoso.com',
  tagNames: { owner: 'owner', team: 'team' },
};

describe('routing precedence: tag > exact subscription > * > default email', () => {
  it('an owner tag beats an exact subscription route', () => {
    const routed = routeItem({ subscriptionId: 'sub-prod', tags: { Owner: 'alice@contoso.com' } }, config);
    expect(routed).toEqual({
      teamName: 'alice@contoso.com',
      emails: ['alice@contoso.com'],
      webhookRouteId: null,
      matchedBy: 'tag',
    });
  });

  it("a team tag naming a route's team borrows its recipients and webhook", () => {
    const routed = routeItem({ subscriptionId: 'sub-pay', tags: { team: 'infra' } }, config);
    expect(routed).toEqual({
      teamName: 'infra',
      emails: ['infra@contoso.com', 'oncall@contoso.com'],
      webhookRouteId: 'prod',
      matchedBy: 'tag',
    });
  });

  it('an exact subscription route beats *', () => {
    const routed = routeItem({ subscriptionId: 'sub-pay', tags: {} }, config);
    expect(routed).toMatchObject({ teamName: 'Payments', emails: ['pay@contoso.com'], matchedBy: 'subscription' });
  });

  it('* catches the other subscriptions', () => {
    const routed = routeItem({ subscriptionId: 'sub-dev', tags: {} }, config);
    expect(routed).toMatchObject({ teamName: 'Platform', emails: ['platform@contoso.com'], matchedBy: 'wildcard' });
  });

  it('without routes the default email gets it, team "Default"', () => {
    const routed = routeItem({ subscriptionId: 'sub-dev', tags: {} }, { ...config, routes: [] });
    expect(routed).toEqual({
      teamName: 'Default',
      emails: ['security@contoso.com'],
      webhookRouteId: null,
      matchedBy: 'default',
    });
  });

  it('configurable tag names; an unknown team tag without owner falls through but still names the team', () => {
    const custom = { ...config, tagNames: { owner: 'kw-owner', team: 'kw-team' } };
    expect(routeItem({ subscriptionId: 'sub-x', tags: { owner: 'bob@contoso.com' } }, custom).matchedBy).toBe(
      'wildcard',
    );
    expect(routeItem({ subscriptionId: 'sub-x', tags: { 'kw-owner': 'bob@contoso.com' } }, custom).emails).toEqual([
      'bob@contoso.com',
    ]);
    expect(routeItem({ subscriptionId: 'sub-pay', tags: { 'kw-team': 'Ghosts' } }, custom)).toMatchObject({
      teamName: 'Ghosts',
      matchedBy: 'subscription',
    });
  });
});
