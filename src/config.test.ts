import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      nodeEnv: 'development',
      logLevel: 'info',
      databaseUrl: undefined,
      dataDir: '/srv/app/data',
      embeddedDbDir: '/srv/app/data/pglite',
      webDistDir: '/srv/app/dist/web',
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads every variable', () => {
    const c = loadConfig(
      {
        PORT: '8080',
        HOST: '127.0.0.1',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATABASE_URL: 'postgres://u@db:5432/lendhall',
        DATA_DIR: '/var/lib/lendhall',
        CUSTODIAN_SECRET: 'a-long-enough-secret',
        SMS_PROVIDER: 'http',
        SMS_HTTP_URL: 'https://sms.example.test/send',
        SMS_HTTP_SECRET: 'sixteen-chars-secret',
      },
      '/srv/app',
    );
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      nodeEnv: 'production',
      logLevel: 'warn',
      databaseUrl: 'postgres://u@db:5432/lendhall',
      dataDir: '/var/lib/lendhall',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'verbose'],
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://root@localhost/db'],
    ['CUSTODIAN_SECRET', 'short'],
    ['COOKIE_SECURE', 'maybe'],
    ['SMS_PROVIDER', 'carrier-pigeon'],
  ])('rejects %s=%s with an error naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      expect((error as ConfigError).variable).toBe(name);
      expect((error as Error).message).toContain(name);
    }
  });
});

describe('secrets required in production on a real database', () => {
  it('refuses to start without the custodian secret', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://u@db/x',
        SMS_PROVIDER: 'http',
        SMS_HTTP_URL: 'https://x.test',
        SMS_HTTP_SECRET: 'sixteen-chars-secret',
      }),
    ).toThrow(/CUSTODIAN_SECRET/);
  });
  it('refuses the SMS outbox (which publishes codes) in production on a real database', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://u@db/x',
        CUSTODIAN_SECRET: 'a-long-enough-secret',
      }),
    ).toThrow(/SMS_PROVIDER/);
  });
  it('uses the sandbox secret in development', () => {
    expect(loadConfig({}).custodianSecret.length).toBeGreaterThanOrEqual(16);
  });
});
