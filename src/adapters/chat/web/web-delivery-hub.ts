/**
 * Live delivery of messages to connected web clients (SSE), by user id.
 * Each process knows only its own connections; the stream endpoint also
 * polls the store, so a message sent by another instance still arrives.
 */
import type { WebMessage } from './web-message.js';

export type WebListener = (message: WebMessage) => void;

export class WebDeliveryHub {
  private readonly listeners = new Map<string, Set<WebListener>>();

  subscribe(userId: string, listener: WebListener): () => void {
    const set = this.listeners.get(userId) ?? new Set<WebListener>();
    set.add(listener);
    this.listeners.set(userId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(userId);
    };
  }

  publish(userId: string, message: WebMessage): void {
    for (const listener of this.listeners.get(userId) ?? []) listener(message);
  }

  get connectedUsers(): number {
    return this.listeners.size;
  }
}
