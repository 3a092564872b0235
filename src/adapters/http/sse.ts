/**
 * Server-sent events on a Node response: headers, one event, heartbeats.
 */
import type { ServerResponse } from 'node:http';

export function openEventStream(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // Reverse proxies (nginx) must not buffer the stream.
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
}

export function writeEvent(res: ServerResponse, event: string, data: unknown, id?: string): void {
  if (res.writableEnded) return;
  res.write(`event: ${event}\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
}

export function writeComment(res: ServerResponse, comment: string): void {
  if (!res.writableEnded) res.write(`: ${comment}\n\n`);
}
