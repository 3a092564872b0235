/**
 * The only file that reads `process.env`. Everything is validated once at
 * start; an invalid value stops the process with a message naming the
 * variable. Every variable is documented in docs/configuration.md.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { LOCALES, type Locale } from './core/i18n/locale.js';
import { parseQuietHours, type QuietHours } from './core/surveys/quiet-hours.js';
import { parseIrritantWeights } from './core/surveys/analysis/irritant-weights.js';
import type { IrritantWeights } from './core/surveys/analysis/irritants-ranking.js';

const RETENTION_DEFAULT_DAYS = 30;

/** Credentials an adapter needs, and which of them are set. */
export interface PlatformCredentials {
  /** All required variables are set: the adapter starts. */
  configured: boolean;
  /** Required variables that are set. */
  present: string[];
  /** Required variables that are missing. */
  missing: string[];
}

export interface RelaisConfig {
  env: 'development' | 'production' | 'test';
  version: string;
  http: { host: string; port: number; publicUrl?: string };
  dataDir: string;
  database: { url?: string; kind: 'pglite' | 'postgres' | 'memory'; poolSize: number };
  redis: { url?: string; prefix: string };
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
  locale: Locale;
  timezone: string;
  /** Surveys: definition files and quiet hours of proactive messages (null: none). */
  surveys: { directory?: string; quietHours: QuietHours | null; irritantWeights: IrritantWeights };
  /** RELAIS_SECRET if set; otherwise a key file is created in the data directory. */
  secret?: string;
  product: {
    humanContact: string;
    privacyContact?: string;
    fundingNotice?: string;
    messageRetentionDays: number;
    maxInboundTextLength: number;
  };
  web: { enabled: boolean; apiToken?: string };
  model: {
    provider: 'mistral' | 'none';
    apiKeySet: boolean;
    /** Only ever passed to the Mistral adapter's options. */
    apiKey?: string;
    serverUrl?: string;
    chatModel?: string;
    embeddingModel?: string;
    moderationModel?: string;
    timeoutMs?: number;
    /** Whether the moderation endpoint is used as a second opinion on distress (default true with a key). */
    moderation: boolean;
  };
  vectors: { store: 'auto' | 'pgvector' | 'postgres' | 'chroma' | 'memory'; chromaUrl?: string; chromaCollection: string };
  corpus: {
    directory: string;
    autoIngest: boolean;
    /** Names always scrubbed from récits. */
    piiNames: string[];
    chunkTargetChars: number;
    chunkOverlapChars: number;
  };
  assistant: { institutionContacts?: string; memoryMessages: number; maxSources: number };
  platforms: {
    slack: PlatformCredentials & { settings?: SlackSettings };
    teams: PlatformCredentials & { settings?: TeamsSettings };
    matrix: PlatformCredentials & { settings?: MatrixSettings };
  };
}

/** Slack app credentials (set when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are). */
export interface SlackSettings {
  botToken: string;
  signingSecret: string;
  /** Socket Mode app-level token (xapp-…); without it, events arrive on POST /slack/events. */
  appToken?: string;
  /** Web API base URL, ending with "/" (default https://slack.com/api/): gateways and tests. */
  apiUrl?: string;
}

/** Microsoft Teams bot registration (Microsoft 365 Agents SDK). */
export interface TeamsSettings {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  /** Accept unauthenticated activities (local development only; refused in production). */
  allowAnonymous: boolean;
}

/** Matrix / Tchap bot account. */
export interface MatrixSettings {
  homeserverUrl: string;
  userId: string;
  accessToken: string;
  deviceId?: string;
  /** Secret-storage recovery key: restores key backup and cross-signs the bot's device. */
  recoveryKey?: string;
  /** Homeserver domains whose users and rooms the bot talks to (empty: only the bot's own domain). */
  allowedDomains: string[];
  /** Optional allow-lists of room ids/aliases and user ids (empty: any within the domains). */
  allowedRooms: string[];
  allowedUsers: string[];
}

export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['true', '1', 'yes'].includes(v)));

/** A whole number within bounds, from an environment string. */
function integer(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

/** A text setting read by `parse`, whose error message (naming the problem) becomes the variable's. */
function parsedText<T>(fallback: string, parse: (text: string) => T) {
  return z
    .string()
    .trim()
    .default(fallback)
    .transform((value, ctx) => {
      try {
        return parse(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `${(error as Error).message} (got "${value}")` });
        return z.NEVER;
      }
    });
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: integer(0, 65535).default(3978),
  HOST: optionalText,
  RELAIS_PUBLIC_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  RELAIS_DATA_DIR: z.string().trim().min(1).default('./.relais'),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^(postgres(ql)?:\/\/|memory:\/\/$)/, 'must be a postgres:// or postgresql:// URL (or memory:// for throwaway runs)')
      .optional(),
  ),
  DATABASE_POOL_SIZE: integer(1, 200).default(10),
  REDIS_URL: optionalText.pipe(z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional()),
  REDIS_PREFIX: z.string().trim().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only').default('relais'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RELAIS_LOCALE: z.enum(LOCALES).default('fr'),
  RELAIS_TIMEZONE: z.string().trim().default('Europe/Paris').refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris'),
  RELAIS_QUIET_HOURS: parsedText('19:00-08:00,weekends,holidays', parseQuietHours),
  RELAIS_SURVEYS_DIR: optionalText,
  RELAIS_IRRITANT_WEIGHTS: parsedText('frequency=1,minutes=1,impact=1', parseIrritantWeights),
  RELAIS_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 48`)').optional()),
  RELAIS_HUMAN_CONTACT: optionalText,
  RELAIS_PRIVACY_CONTACT: optionalText,
  RELAIS_FUNDING_NOTICE: optionalText,
  RELAIS_MESSAGE_RETENTION_DAYS: integer(1, 3650).default(RETENTION_DEFAULT_DAYS),
  RELAIS_MAX_MESSAGE_LENGTH: integer(100, 100_000).default(4000),
  RELAIS_WEB_CHAT: booleanFlag(true),
  RELAIS_WEB_API_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  MISTRAL_API_KEY: optionalText,
  MISTRAL_SERVER_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  MISTRAL_CHAT_MODEL: optionalText,
  MISTRAL_EMBEDDING_MODEL: optionalText,
  MISTRAL_MODERATION_MODEL: optionalText,
  MISTRAL_MODERATION: booleanFlag(true),
  MISTRAL_TIMEOUT_MS: integer(1000, 600_000).optional(),
  VECTOR_STORE: z.enum(['auto', 'pgvector', 'postgres', 'chroma', 'memory']).default('auto'),
  CHROMA_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  CHROMA_COLLECTION: z.string().trim().regex(/^[A-Za-z0-9._-]{3,63}$/, '3 to 63 letters, digits, ".", "_" or "-"').default('relais-chunks'),
  RELAIS_CORPUS_DIR: z.string().trim().min(1).default('./corpus'),
  RELAIS_CORPUS_AUTO_INGEST: booleanFlag(true),
  RELAIS_PII_NAMES: optionalText,
  RELAIS_CHUNK_TARGET_CHARS: integer(200, 20_000).default(1200),
  RELAIS_CHUNK_OVERLAP_CHARS: integer(0, 5000).default(200),
  RELAIS_INSTITUTION_CONTACTS: optionalText,
  RELAIS_ASSISTANT_MEMORY: integer(0, 40).default(6),
  RELAIS_ASSISTANT_SOURCES: integer(1, 10).default(5),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  TEAMS_APP_ID: optionalText,
  TEAMS_APP_PASSWORD: optionalText,
  TEAMS_TENANT_ID: optionalText,
  TEAMS_ALLOW_ANONYMOUS: booleanFlag(false),
  MATRIX_HOMESERVER_URL: optionalText,
  MATRIX_USER_ID: optionalText,
  MATRIX_ACCESS_TOKEN: optionalText,
  MATRIX_DEVICE_ID: optionalText,
  MATRIX_RECOVERY_KEY: optionalText,
  MATRIX_ALLOWED_DOMAINS: optionalText,
  MATRIX_ALLOWED_ROOMS: optionalText,
  MATRIX_ALLOWED_USERS: optionalText,
});

type Env = z.infer<typeof schema>;

function credentials(env: Env, required: (keyof Env)[]): PlatformCredentials {
  const present = required.filter((name) => env[name] !== undefined && env[name] !== false).map(String);
  const missing = required.filter((name) => env[name] === undefined).map(String);
  return { configured: missing.length === 0, present, missing };
}

const DEFAULT_HUMAN_CONTACT: Record<Locale, string> = {
  fr: 'adressez-vous à votre référent·e ou à l’équipe qui a mis Relais en place',
  en: 'contact your tutor or the team that set Relais up',
};

/** "Karim Benali, Sandrine Leclerc" or "@/etc/relais/names.txt" (one name per line). */
function parseNames(value: string | undefined): string[] {
  if (!value) return [];
  const text = value.startsWith('@') ? readFileSync(resolve(value.slice(1)), 'utf8') : value;
  return text
    .split(value.startsWith('@') ? /\r?\n/ : /[,;]/)
    .map((name) => name.trim())
    .filter((name) => name && !name.startsWith('#'));
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Parses and validates the environment; throws `ConfigError` naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): RelaisConfig {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: `${issue.message}${typeof source[String(issue.path[0])] === 'string' && !/SECRET|TOKEN|KEY|PASSWORD/.test(String(issue.path[0])) ? ` (got "${source[String(issue.path[0])]}")` : ''}`,
      })),
    );
  }
  const env = parsed.data;
  const issues: { variable: string; message: string }[] = [];
  if (env.NODE_ENV === 'production' && env.TEAMS_ALLOW_ANONYMOUS) {
    issues.push({ variable: 'TEAMS_ALLOW_ANONYMOUS', message: 'must not be true when NODE_ENV=production' });
  }
  if (env.NODE_ENV === 'production' && env.DATABASE_URL === 'memory://') {
    issues.push({ variable: 'DATABASE_URL', message: 'memory:// loses every message at restart; not allowed when NODE_ENV=production' });
  }
  if (env.MATRIX_USER_ID && !/^@[^:]+:.+$/.test(env.MATRIX_USER_ID)) {
    issues.push({ variable: 'MATRIX_USER_ID', message: 'must be a full Matrix user id such as @relais:tchap.gouv.fr' });
  }
  if (env.MATRIX_HOMESERVER_URL && !/^https?:\/\//.test(env.MATRIX_HOMESERVER_URL)) {
    issues.push({ variable: 'MATRIX_HOMESERVER_URL', message: 'must be an http(s) URL such as https://matrix.agent.tchap.gouv.fr' });
  }
  if (env.VECTOR_STORE === 'chroma' && !env.CHROMA_URL) {
    issues.push({ variable: 'CHROMA_URL', message: 'required when VECTOR_STORE=chroma' });
  }
  if (env.RELAIS_CHUNK_OVERLAP_CHARS >= env.RELAIS_CHUNK_TARGET_CHARS) {
    issues.push({ variable: 'RELAIS_CHUNK_OVERLAP_CHARS', message: 'must be smaller than RELAIS_CHUNK_TARGET_CHARS' });
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const databaseKind = env.DATABASE_URL === undefined ? 'pglite' : env.DATABASE_URL === 'memory://' ? 'memory' : 'postgres';
  return {
    env: env.NODE_ENV,
    version: packageVersion(),
    http: {
      // Production listens on every interface (behind a proxy); a developer machine only on loopback.
      host: env.HOST ?? (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
      port: env.PORT,
      ...(env.RELAIS_PUBLIC_URL ? { publicUrl: env.RELAIS_PUBLIC_URL.replace(/\/$/, '') } : {}),
    },
    dataDir: resolve(env.RELAIS_DATA_DIR),
    database: { ...(databaseKind === 'postgres' ? { url: env.DATABASE_URL } : {}), kind: databaseKind, poolSize: env.DATABASE_POOL_SIZE },
    redis: { ...(env.REDIS_URL ? { url: env.REDIS_URL } : {}), prefix: env.REDIS_PREFIX },
    log: { level: env.LOG_LEVEL },
    locale: env.RELAIS_LOCALE,
    timezone: env.RELAIS_TIMEZONE,
    surveys: { ...(env.RELAIS_SURVEYS_DIR ? { directory: resolve(env.RELAIS_SURVEYS_DIR) } : {}), quietHours: env.RELAIS_QUIET_HOURS, irritantWeights: env.RELAIS_IRRITANT_WEIGHTS },
    ...(env.RELAIS_SECRET ? { secret: env.RELAIS_SECRET } : {}),
    product: {
      humanContact: env.RELAIS_HUMAN_CONTACT ?? DEFAULT_HUMAN_CONTACT[env.RELAIS_LOCALE],
      ...(env.RELAIS_PRIVACY_CONTACT ? { privacyContact: env.RELAIS_PRIVACY_CONTACT } : {}),
      ...(env.RELAIS_FUNDING_NOTICE ? { fundingNotice: env.RELAIS_FUNDING_NOTICE } : {}),
      messageRetentionDays: env.RELAIS_MESSAGE_RETENTION_DAYS,
      maxInboundTextLength: env.RELAIS_MAX_MESSAGE_LENGTH,
    },
    web: { enabled: env.RELAIS_WEB_CHAT, ...(env.RELAIS_WEB_API_TOKEN ? { apiToken: env.RELAIS_WEB_API_TOKEN } : {}) },
    model: {
      provider: env.MISTRAL_API_KEY ? 'mistral' : 'none',
      apiKeySet: env.MISTRAL_API_KEY !== undefined,
      ...(env.MISTRAL_API_KEY ? { apiKey: env.MISTRAL_API_KEY } : {}),
      ...(env.MISTRAL_SERVER_URL ? { serverUrl: env.MISTRAL_SERVER_URL } : {}),
      ...(env.MISTRAL_CHAT_MODEL ? { chatModel: env.MISTRAL_CHAT_MODEL } : {}),
      ...(env.MISTRAL_EMBEDDING_MODEL ? { embeddingModel: env.MISTRAL_EMBEDDING_MODEL } : {}),
      ...(env.MISTRAL_MODERATION_MODEL ? { moderationModel: env.MISTRAL_MODERATION_MODEL } : {}),
      ...(env.MISTRAL_TIMEOUT_MS ? { timeoutMs: env.MISTRAL_TIMEOUT_MS } : {}),
      moderation: env.MISTRAL_MODERATION,
    },
    vectors: { store: env.VECTOR_STORE, ...(env.CHROMA_URL ? { chromaUrl: env.CHROMA_URL } : {}), chromaCollection: env.CHROMA_COLLECTION },
    corpus: {
      directory: resolve(env.RELAIS_CORPUS_DIR),
      autoIngest: env.RELAIS_CORPUS_AUTO_INGEST,
      piiNames: parseNames(env.RELAIS_PII_NAMES),
      chunkTargetChars: env.RELAIS_CHUNK_TARGET_CHARS,
      chunkOverlapChars: env.RELAIS_CHUNK_OVERLAP_CHARS,
    },
    assistant: {
      ...(env.RELAIS_INSTITUTION_CONTACTS ? { institutionContacts: env.RELAIS_INSTITUTION_CONTACTS } : {}),
      memoryMessages: env.RELAIS_ASSISTANT_MEMORY,
      maxSources: env.RELAIS_ASSISTANT_SOURCES,
    },
    platforms: platformSettings(env),
  };
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(/[,\s]+/)
    .map((item) => item.trim())
    .filter(Boolean);

function platformSettings(env: Env): RelaisConfig['platforms'] {
  const slack = credentials(env, ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
  const teamsCredentials = credentials(env, ['TEAMS_APP_ID', 'TEAMS_APP_PASSWORD']);
  // Anonymous mode (development) needs no registration; otherwise the app id and password.
  const teams = env.TEAMS_ALLOW_ANONYMOUS ? { ...teamsCredentials, configured: true } : teamsCredentials;
  const matrix = credentials(env, ['MATRIX_HOMESERVER_URL', 'MATRIX_USER_ID', 'MATRIX_ACCESS_TOKEN']);
  const matrixDomain = env.MATRIX_USER_ID?.split(':').slice(1).join(':');
  return {
    slack: slack.configured
      ? {
          ...slack,
          settings: {
            botToken: env.SLACK_BOT_TOKEN!,
            signingSecret: env.SLACK_SIGNING_SECRET!,
            ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
            ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL.replace(/\/?$/, '/') } : {}),
          },
        }
      : slack,
    teams: teams.configured
      ? {
          ...teams,
          settings: {
            ...(env.TEAMS_APP_ID ? { appId: env.TEAMS_APP_ID } : {}),
            ...(env.TEAMS_APP_PASSWORD ? { appPassword: env.TEAMS_APP_PASSWORD } : {}),
            ...(env.TEAMS_TENANT_ID ? { tenantId: env.TEAMS_TENANT_ID } : {}),
            allowAnonymous: env.TEAMS_ALLOW_ANONYMOUS,
          },
        }
      : teams,
    matrix: matrix.configured
      ? {
          ...matrix,
          settings: {
            homeserverUrl: env.MATRIX_HOMESERVER_URL!.replace(/\/$/, ''),
            userId: env.MATRIX_USER_ID!,
            accessToken: env.MATRIX_ACCESS_TOKEN!,
            ...(env.MATRIX_DEVICE_ID ? { deviceId: env.MATRIX_DEVICE_ID } : {}),
            ...(env.MATRIX_RECOVERY_KEY ? { recoveryKey: env.MATRIX_RECOVERY_KEY } : {}),
            allowedDomains: env.MATRIX_ALLOWED_DOMAINS ? list(env.MATRIX_ALLOWED_DOMAINS) : matrixDomain ? [matrixDomain] : [],
            allowedRooms: list(env.MATRIX_ALLOWED_ROOMS),
            allowedUsers: list(env.MATRIX_ALLOWED_USERS),
          },
        }
      : matrix,
  };
}
