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
  ownerDomains: ['contoso.com'],
};

describe('routing precedence: team tag > exact subscription > * > default email', () => {
  it("an owner tag adds to the exact subscription route's recipients; the route's webhook still hears", () => {
    const routed = routeItem({ subscriptionId: 'sub-prod', tags: { Owner: 'alice@contoso.com' } }, config);
    expect(routed).toEqual({
      teamName: 'alice@contoso.com',
      emails: ['infra@contoso.com', 'oncall@contoso.com', 'alice@contoso.com'],
      webhookRouteId: 'prod',
      matchedBy: 'subscription',
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
      'platform@contoso.com',
      'bob@contoso.com',
    ]);
    expect(routeItem({ subscriptionId: 'sub-pay', tags: { 'kw-team': 'Ghosts' } }, custom)).toMatchObject({
      teamName: 'Ghosts',
      matchedBy: 'subscription',
    });
  });
});

describe('owner tags cannot divert alerts (a tag is written by anyone with Tag Contributor on the vault)', () => {
  it('an owner outside the allowed domains adds nobody and removes nobody', () => {
    const routed = routeItem(
      { subscriptionId: 'sub-prod', tags: { owner: 'mallory@evil.example; eve@contoso.com.evil.example' } },
      config,
    );
    expect(routed.emails).toEqual(['infra@contoso.com', 'oncall@contoso.com']);
    expect(routed.webhookRouteId).toBe('prod');
  });

  it('without NOTIFY_OWNER_DOMAINS an owner tag adds nobody', () => {
    const { ownerDomains: _domains, ...unset } = config;
    expect(routeItem({ subscriptionId: 'sub-pay', tags: { owner: 'alice@contoso.com' } }, unset).emails).toEqual([
      'pay@contoso.com',
    ]);
    expect(
      routeItem({ subscriptionId: 'sub-pay', tags: { owner: 'alice@contoso.com' } }, { ...config, ownerDomains: [''] })
        .emails,
    ).toEqual(['pay@contoso.com']);
  });

  it('allowed owners are added to a team-tag route, to *, and to the default email; domains match exactly, any case', () => {
    const tags = { team: 'payments', owner: 'Bob@Contoso.com, pay@contoso.com, x@sub.contoso.com' };
    expect(routeItem({ subscriptionId: 'sub-x', tags }, config).emails).toEqual(['pay@contoso.com', 'Bob@Contoso.com']);
    expect(routeItem({ subscriptionId: 'sub-x', tags: { owner: 'bob@contoso.com' } }, config).emails).toEqual([
      'platform@contoso.com',
      'bob@contoso.com',
    ]);
    expect(
      routeItem({ subscriptionId: 'sub-x', tags: { owner: 'bob@contoso.com' } }, { ...config, routes: [] }).emails,
    ).toEqual(['security@contoso.com', 'bob@contoso.com']);
  });
});
