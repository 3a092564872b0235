/**
 * Reads server-sent events from a fetch response, as a browser would.
 */
export interface SseEvent {
  event: string;
  id?: string;
  data: unknown;
}

export class SseReader {
  readonly events: SseEvent[] = [];
  private buffer = '';
  private readonly done: Promise<void>;
  private controller = new AbortController();

  private constructor(readonly response: Response) {
    this.done = this.pump();
  }

  static async open(url: string, init: RequestInit = {}): Promise<SseReader> {
    const controller = new AbortController();
    const response = await fetch(url, { ...init, signal: controller.signal, headers: { accept: 'text/event-stream', ...(init.headers ?? {}) } });
    const reader = new SseReader(response);
    reader.controller = controller;
    return reader;
  }

  private async pump(): Promise<void> {
    const body = this.response.body;
    if (!body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        this.buffer += decoder.decode(chunk, { stream: true });
        let index: number;
        while ((index = this.buffer.indexOf('\n\n')) >= 0) {
          const raw = this.buffer.slice(0, index);
          this.buffer = this.buffer.slice(index + 2);
          this.parse(raw);
        }
      }
    } catch {
      // Aborted by close(): the events read so far stay available.
    }
  }

  private parse(raw: string): void {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of raw.split('\n')) {
      if (line.startsWith(':')) continue;
      const [field, ...rest] = line.split(':');
      const value = rest.join(':').replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    this.events.push({ event, ...(id ? { id } : {}), data: JSON.parse(data.join('\n')) });
  }

  /** Resolves when the server ends the stream. */
  finished(): Promise<void> {
    return this.done;
  }

  close(): void {
    this.controller.abort();
  }

  named(event: string): SseEvent[] {
    return this.events.filter((e) => e.event === event);
  }
}
