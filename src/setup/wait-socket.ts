import { endpointServed } from '../channel/socket-listener';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Wait until the socket accepts a connection: false after `timeoutMs`, or as soon as `alive()` says the service is gone. */
export async function waitForSocket(socketPath: string, timeoutMs: number, alive: () => boolean = () => true): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await endpointServed(socketPath)) return true;
    if (Date.now() > until || !alive()) return false;
    await sleep(100);
  }
}
