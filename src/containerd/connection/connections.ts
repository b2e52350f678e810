// One client (one gRPC channel) per endpoint address, owned by the extension context.
import { ContainerdClient, type ClientOptions } from './client';

export class Connections {
  private readonly clients = new Map<string, ContainerdClient>();

  constructor(private readonly options: ClientOptions) {}

  get(address: string): ContainerdClient {
    let client = this.clients.get(address);
    if (!client) {
      client = new ContainerdClient(address, this.options);
      this.clients.set(address, client);
    }
    return client;
  }

  /** Drops a channel so the next call dials afresh instead of waiting out grpc-js's backoff. */
  reset(address: string): void {
    this.clients.get(address)?.close();
    this.clients.delete(address);
  }

  closeAll(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
