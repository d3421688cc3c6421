import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import type { Config } from './config.ts';
import { type DatabaseHandle, type Db, openConfiguredDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { backofficeRoutes, staffAuthRoutes, syncBuiltinRoles } from './modules/backoffice/index.ts';
import { companyRoutes } from './modules/identity/companies/index.ts';
import { documentRoutes } from './modules/identity/documents/index.ts';
import { customerRoutes } from './modules/identity/index.ts';
import { riskRoutes } from './modules/identity/risk/index.ts';
import { ledgerRoutes } from './modules/ledger/index.ts';
import { biddingRoutes } from './modules/loans/bidding.routes.ts';
import { contractRoutes } from './modules/loans/contract.routes.ts';
import { disbursementAdminRoutes } from './modules/loans/disbursement.routes.ts';
import { loanMarketRoutes, myLoansRoutes } from './modules/loans/index.ts';
import { messageRoutes } from './modules/notify/index.ts';
import {
  type Custodian,
  createSandboxCustodian,
  paymentsAdminRoutes,
  paymentsRoutes,
  sandboxRoutes,
  withdrawalAdminRoutes,
  withdrawalRoutes,
} from './modules/payments/index.ts';
import { scheduleRoutes } from './modules/servicing/index.ts';
import { healthRoutes, siteRoutes } from './modules/system/index.ts';
import { installAuth } from './platform/auth/auth.plugin.ts';
import { createFieldCipher, type FieldCipher, loadDataKey } from './platform/crypto.ts';
import { installErrorHandling, installLanguage, installNotFound, type PageFallback } from './platform/error-handler.ts';
import { ErrorBody } from './platform/http-schemas.ts';
import type { OutboxHandler } from './platform/outbox.ts';
import { installValidation } from './platform/validation.ts';

declare module 'fastify' {
  interface FastifyInstance {
    readonly config: Config;
    readonly db: Db;
    /** Encrypts personal data at rest and computes its search hashes. */
    readonly cipher: FieldCipher;
    /** Where the real money is held. */
    readonly custodian: Custodian;
    /** Handlers of outbox job kinds; modules add theirs when they register. */
    readonly outboxHandlers: Record<string, OutboxHandler>;
  }
}

export interface BuildOptions {
  /** An open database to use (tests pass their own); otherwise one is opened from the config and closed with the app. */
  readonly database?: DatabaseHandle;
  /** Close `database` when the app closes although the caller opened it (default false). */
  readonly closeDatabase?: boolean;
  /** Apply pending migrations before serving (default true). */
  readonly migrate?: boolean;
  /** Extra plugins registered after the modules' routes (tests use it to add probe routes). */
  readonly plugins?: readonly FastifyPluginAsync[];
}

const BODY_BYTES_MAX = 1024 * 1024;
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,64}$/;

function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
  };
}

/** The personal-data cipher for this configuration (see src/platform/crypto.ts). */
export function cipherFromConfig(config: Config): FieldCipher {
  return createFieldCipher(
    loadDataKey({
      envValue: config.dataEncryptionKey,
      dataDir: config.dataDir,
      // Production on a real database must be given its key; development and the demo keep one in DATA_DIR.
      allowGenerate: !config.strictSecrets,
    }),
  );
}

/** Build the HTTP application: platform plugins, then each module's routes. Tests call `app.inject()`. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  // A bad or missing key stops the start before anything else is opened.
  const cipher = cipherFromConfig(config);
  const ownsDatabase = options.database === undefined;
  const database = options.database ?? (await openConfiguredDatabase(config));
  try {
    if (options.migrate !== false) {
      await migrateToLatest(database.db);
      await syncBuiltinRoles(database.db);
    }
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }

  const app = Fastify({
    logger: loggerOptions(config),
    bodyLimit: BODY_BYTES_MAX,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', config);
  app.decorate('db', database.db);
  app.decorate('cipher', cipher);
  app.decorate('custodian', createSandboxCustodian(database.db));
  app.decorate('outboxHandlers', {} as Record<string, OutboxHandler>);
  if (ownsDatabase || options.closeDatabase) app.addHook('onClose', async () => database.close());
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // The API speaks JSON only; other bodies get 415 UNSUPPORTED_MEDIA_TYPE.
  app.removeContentTypeParser('text/plain');
  installLanguage(app);
  installValidation(app);
  installErrorHandling(app);
  app.addSchema(ErrorBody);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design injects its CSS-in-JS styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  installAuth(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Lendhall API',
        version: '1',
        description:
          'Online lending marketplace. Money is integer fen (`…Fen`), rates are decimal strings, errors are ' +
          '`{ error: { code, message, details } }` in the language of `Accept-Language` (zh-CN default).',
      },
      tags: [{ name: 'system', description: 'Health and readiness' }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) ?? `def-${i}` },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes);
  await app.register(siteRoutes);
  await app.register(scheduleRoutes);
  await app.register(staffAuthRoutes);
  await app.register(backofficeRoutes);
  await app.register(messageRoutes);
  await app.register(ledgerRoutes);
  await app.register(customerRoutes);
  await app.register(documentRoutes);
  await app.register(companyRoutes);
  await app.register(riskRoutes);
  await app.register(paymentsRoutes);
  await app.register(paymentsAdminRoutes);
  await app.register(withdrawalRoutes);
  await app.register(withdrawalAdminRoutes);
  await app.register(loanMarketRoutes);
  await app.register(myLoansRoutes);
  await app.register(contractRoutes);
  await app.register(biddingRoutes);
  await app.register(disbursementAdminRoutes);
  if (config.custodian === 'sandbox') await app.register(sandboxRoutes);
  for (const plugin of options.plugins ?? []) await app.register(plugin);

  const pageFallback = config.nodeEnv === 'development' ? undefined : await registerWeb(app, config.webDistDir);
  installNotFound(app, pageFallback);
  return app;
}

/** Serve the built web app; browser paths the API does not own get index.html for the client router. */
async function registerWeb(app: FastifyInstance, distDir: string): Promise<PageFallback> {
  if (!fs.existsSync(path.join(distDir, 'index.html'))) {
    app.log.warn({ distDir }, 'web assets are not built; run `npm run build` to serve the web app');
    return undefined;
  }
  await app.register(fastifyStatic, {
    root: distDir,
    wildcard: false,
    index: false,
    setHeaders: (reply, filePath) => {
      const hashed = filePath.includes(`${path.sep}assets${path.sep}`);
      reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html');
}
