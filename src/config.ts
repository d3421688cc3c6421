import fs from 'node:fs';
import path from 'node:path';

/** Runtime configuration, parsed once from the environment at start and frozen. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly logLevel: LogLevel;
  /** PostgreSQL connection string; undefined means the embedded PGlite database in `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** Folder of the embedded PGlite database (inside dataDir). */
  readonly embeddedDbDir: string;
  /** Folder holding the built web assets (served in production mode when it exists). */
  readonly webDistDir: string;
  /** Base64 of the 32-byte key protecting personal data at rest; unset outside production: generated into dataDir. */
  readonly dataEncryptionKey: string | undefined;
  /** Mark session cookies Secure (set true behind HTTPS). */
  readonly cookieSecure: boolean;
  /** Where SMS go: 'outbox' keeps them in the database (shown in the back office); 'http' posts them to a vendor. */
  readonly smsProvider: 'outbox' | 'http';
  readonly smsHttpUrl: string | undefined;
  readonly smsHttpSecret: string | undefined;
  /**
   * Production on a real database (NODE_ENV=production with DATABASE_URL, not the demo started by npm start):
   * secrets must be configured (data key, custodian secret) and the SMS outbox is refused.
   */
  readonly strictSecrets: boolean;
  /** Which custodian holds the money: only the built-in sandbox so far. */
  readonly custodian: 'sandbox';
  /** HMAC-SHA256 secret shared with the custodian for signed callbacks. */
  readonly custodianSecret: string;
  /**
   * A font with Chinese glyphs (TTF, OTF or a TTC collection) for loan contract PDFs; undefined when none was
   * configured or found, in which case contracts answer 503 CONTRACT_FONT_UNAVAILABLE.
   */
  readonly cjkFontPath: string | undefined;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const NODE_ENVS = ['development', 'production', 'test'] as const;

/** A configuration variable is missing or malformed; the message names it. */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, problem: string) {
    super(`Configuration error: ${variable} ${problem}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function readPort(env: Env): number {
  const raw = env.PORT?.trim();
  if (raw === undefined || raw === '') return 3000;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError('PORT', `must be a whole number from 0 to 65535, got "${raw}"`);
  }
  return Number(raw);
}

function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function readSms(env: Env, strict: boolean): Pick<Config, 'smsProvider' | 'smsHttpUrl' | 'smsHttpSecret'> {
  const smsProvider = readEnum(env, 'SMS_PROVIDER', ['outbox', 'http'] as const, 'outbox');
  const smsHttpUrl = env.SMS_HTTP_URL?.trim() || undefined;
  const smsHttpSecret = env.SMS_HTTP_SECRET?.trim() || undefined;
  // The outbox provider publishes codes at /api/v1/dev/sms-outbox: never on a production database.
  if (smsProvider === 'outbox' && strict) {
    throw new ConfigError(
      'SMS_PROVIDER',
      'must be http in production on a real database (outbox would expose SMS codes)',
    );
  }
  if (smsProvider === 'http') {
    if (!smsHttpUrl || !/^https?:\/\//.test(smsHttpUrl))
      throw new ConfigError('SMS_HTTP_URL', 'must be an http(s) URL when SMS_PROVIDER=http');
    if (!smsHttpSecret || smsHttpSecret.length < 16) {
      throw new ConfigError('SMS_HTTP_SECRET', 'must be at least 16 characters when SMS_PROVIDER=http');
    }
  }
  return { smsProvider, smsHttpUrl, smsHttpSecret };
}

/** Only for the sandbox custodian outside production; a real deployment sets CUSTODIAN_SECRET. */
const SANDBOX_CUSTODIAN_SECRET = 'lendhall-sandbox-custodian-secret';

function readCustodian(env: Env, strict: boolean): Pick<Config, 'custodian' | 'custodianSecret'> {
  const custodian = readEnum(env, 'CUSTODIAN', ['sandbox'] as const, 'sandbox');
  const secret = env.CUSTODIAN_SECRET?.trim();
  if (secret !== undefined && secret !== '' && secret.length < 16) {
    throw new ConfigError('CUSTODIAN_SECRET', 'must be at least 16 characters');
  }
  if (!secret && strict) {
    throw new ConfigError(
      'CUSTODIAN_SECRET',
      'is required in production (the callback signing secret shared with the custodian)',
    );
  }
  return { custodian, custodianSecret: secret || SANDBOX_CUSTODIAN_SECRET };
}

/** Where Debian's fonts-wqy-zenhei and fonts-noto-cjk put their fonts; the first that exists is the default. */
export const CJK_FONT_DEFAULTS = [
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
] as const;

function readCjkFontPath(env: Env, cwd: string): string | undefined {
  const raw = env.CJK_FONT_PATH?.trim();
  if (raw) return path.resolve(cwd, raw);
  return CJK_FONT_DEFAULTS.find((file) => fs.existsSync(file));
}

function readDatabaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL?.trim();
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a valid URL (expected postgres://user@host:port/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must start with postgres:// or postgresql://, got "${url.protocol}"`);
  }
  return raw;
}

/** Parse the environment into a frozen Config, or throw a ConfigError naming the bad variable. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const host = env.HOST?.trim() || '0.0.0.0';
  const nodeEnv = readEnum(env, 'NODE_ENV', NODE_ENVS, 'development');
  const databaseUrl = readDatabaseUrl(env);
  // `npm start` sets LENDHALL_DEMO=1: a demo may run in production mode on a real database without secrets.
  const strictSecrets =
    nodeEnv === 'production' && databaseUrl !== undefined && !readBoolean(env, 'LENDHALL_DEMO', false);
  const dataDir = path.resolve(cwd, env.DATA_DIR?.trim() || './data');
  return Object.freeze({
    port: readPort(env),
    host,
    nodeEnv,
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    databaseUrl,
    dataDir,
    embeddedDbDir: path.join(dataDir, 'pglite'),
    webDistDir: path.resolve(cwd, 'dist/web'),
    dataEncryptionKey: env.DATA_ENCRYPTION_KEY?.trim() || undefined,
    cookieSecure: readBoolean(env, 'COOKIE_SECURE', false),
    strictSecrets,
    ...readSms(env, strictSecrets),
    ...readCustodian(env, strictSecrets),
    cjkFontPath: readCjkFontPath(env, cwd),
  });
}

/** Load `.env` from the working folder into process.env when it exists (variables already set win). */
export function loadDotEnv(cwd: string = process.cwd()): void {
  const file = path.join(cwd, '.env');
  if (fs.existsSync(file)) process.loadEnvFile(file);
}
