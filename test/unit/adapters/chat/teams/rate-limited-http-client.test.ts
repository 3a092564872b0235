/**
 * The connector HTTP client's own rules: which limiter keys a request uses,
 * how Retry-After is read, and that it gives up after its retries (a
 * persistent 429 surfaces as the SDK's HttpError).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, HttpError } from '@microsoft/agents-hosting';
import { conversationOf, RateLimitedHttpClient, retryAfterMs } from '../../../../../src/adapters/chat/teams/rate-limited-http-client.js';
import type { RateLimiter, RateRule } from '../../../../../src/adapters/rate-limit/rate-limiter.js';

class RecordingLimiter implements RateLimiter {
  readonly acquired: string[] = [];
  readonly paused: [string, number][] = [];
  async acquire(key: string, rules: readonly RateRule[]): Promise<void> {
    void rules;
    this.acquired.push(key);
  }
  async pause(key: string, ms: number): Promise<void> {
    this.paused.push([key, ms]);
  }
}

let server: Server;
let baseURL: string;
let answers: { status: number; headers?: Record<string, string> }[] = [];
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => {
      const next = answers.shift() ?? { status: 201 };
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      res.end(JSON.stringify(next.status < 300 ? { id: 'm1' } : { error: { code: 'TooManyRequests' } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  answers = [];
  hits = 0;
});

function client(limiter: RateLimiter, maxRetries = 2): RateLimitedHttpClient {
  return new RateLimitedHttpClient(new HttpClient({ baseURL, headers: { authorization: 'Bearer t' } }), {
    limiter,
    conversationRules: [{ limit: 7, windowMs: 1000 }],
    tenantRules: [{ limit: 30, windowMs: 1000 }],
    defaultTenant: 'default',
    maxRetries,
    fallbackRetryMs: 1,
  });
}

const post = (c: HttpClient, conversation: string, tenantId?: string) =>
  c.request({ method: 'post', url: `v3/conversations/${conversation}/activities`, data: { type: 'message', conversation: { id: conversation, ...(tenantId ? { tenantId } : {}) } } });

describe('rate-limited connector client', () => {
  it('waits under the conversation (threads share their channel) and the tenant before each request', async () => {
    const limiter = new RecordingLimiter();
    await post(client(limiter), '19:chan@thread.tacv2;messageid=42', 'tenant-1');
    expect(limiter.acquired).toEqual(['teams:conv:19:chan@thread.tacv2', 'teams:tenant:tenant-1']);
    await client(limiter).request({ method: 'post', url: '/v3/conversations', data: { isGroup: false, tenantId: 'tenant-2' } });
    expect(limiter.acquired.slice(2)).toEqual(['teams:tenant:tenant-2']);
  });

  it('pauses both keys for Retry-After on 429 or 503, then retries', async () => {
    const limiter = new RecordingLimiter();
    answers = [{ status: 429, headers: { 'retry-after': '2' } }, { status: 503, headers: { 'retry-after': '0.5' } }];
    const response = await post(client(limiter), 'a:1', 't');
    expect(response.status).toBe(201);
    expect(hits).toBe(3);
    expect(limiter.paused).toEqual([
      ['teams:conv:a:1', 2000],
      ['teams:tenant:t', 2000],
      ['teams:conv:a:1', 500],
      ['teams:tenant:t', 500],
    ]);
  });

  it('gives up after its retries with the SDK error, and never retries other errors', async () => {
    answers = [{ status: 429 }, { status: 429 }, { status: 429 }];
    await expect(post(client(new RecordingLimiter(), 2), 'a:1')).rejects.toBeInstanceOf(HttpError);
    expect(hits).toBe(3);
    hits = 0;
    answers = [{ status: 403 }];
    await expect(post(client(new RecordingLimiter()), 'a:1')).rejects.toMatchObject({ status: 403 });
    expect(hits).toBe(1);
  });

  it('reads Retry-After in seconds or as a date, and conversation ids from paths', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }))).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), 0.1)).toBe(300);
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    expect(retryAfterMs(new Headers({ 'retry-after': inTwoSeconds }))).toBeGreaterThan(500);
    expect(retryAfterMs(new Headers())).toBeUndefined();
    expect(conversationOf('v3/conversations/a%3A1x/activities/9')).toBe('a:1x');
    expect(conversationOf('/v3/conversations')).toBeUndefined();
  });
});
