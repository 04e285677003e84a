// Boundaries (ARCHITECTURE.md), checked in CI with `npm run boundaries`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'app-imports-other-app',
      comment: 'An app never imports another app: they talk over Kafka and HTTP only.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'lib-imports-app',
      comment: 'Libraries are shared by the apps and never depend on one.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'domain-imports-infrastructure',
      comment: 'Domain code (routing rules, referral domain, contracts) is pure: no framework, database or Kafka.',
      severity: 'error',
      from: { path: '^libs/(routing/src|referrals/src/domain|contracts/src)/' },
      to: {
        path: [
          '^libs/(messaging|persistence|platform|testing)/',
          '^libs/referrals/src/(?!domain/)',
          'node_modules/(@nestjs|typeorm|kafkajs|pg|fastify|nestjs-pino|prom-client)/',
        ],
      },
    },
    {
      name: 'auth-imports-no-storage-or-messaging',
      comment: 'Authentication reads tokens and claims only: no database, Kafka or domain behind the guard.',
      severity: 'error',
      from: { path: '^libs/auth/' },
      to: { path: ['^libs/(messaging|persistence|referrals|routing)/', 'node_modules/(typeorm|kafkajs|pg)/'] },
    },
    {
      name: 'auth-scope-is-pure',
      comment: 'Roles, principal, scope rules and header parsing are plain functions the domain may call.',
      severity: 'error',
      from: { path: '^libs/auth/src/(roles|principal|scope/|token/bearer-token)' },
      to: { path: ['^libs/(messaging|persistence|platform|testing)/', 'node_modules/(@nestjs|jose|fastify)/'] },
    },
    {
      name: 'production-imports-testing',
      comment: "Test infrastructure (libs/testing, an app's or lib's own test/ folder) stays out of what ships.",
      severity: 'error',
      from: {
        path: '^(apps|libs)/',
        pathNot: ['\\.(spec|int-spec|e2e-spec)\\.ts$', '^libs/testing/', '^(apps|libs)/[^/]+/test/'],
      },
      to: { path: ['^libs/testing/', '^(apps|libs)/[^/]+/test/'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '(^dist/|^\\.tools/|^\\.local/)' },
  },
};
