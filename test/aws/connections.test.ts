import { createServer, request, type Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedConnections } from '../../src/aws/connections.js';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function server(): Promise<number> {
  const s = createServer((_req, res) => res.end('ok'));
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as AddressInfo).port;
}

function get(agent: Agent, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end();
  });
}

/** The agent's idle sockets, once the sockets closed so far have left its pool (on their 'close' event). */
async function idleSockets(agent: Agent): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  return Object.values(agent.freeSockets).flat().length;
}

describe('sharedConnections', () => {
  it("keeps one account's connections open for the others when its clients close them, and closes them after the last", async () => {
    const port = await server();
    const connections = sharedConnections({ requestTimeout: 1000, maxSockets: 4 });
    const agent = connections.handler().httpAgent;
    const first = connections.acquire();
    const second = connections.acquire();
    await get(agent, port);
    // What a client's destroy() does to its request handler's agents.
    agent.destroy();
    first();
    first();
    expect(await idleSockets(agent)).toBe(1);
    await get(agent, port);
    expect(await idleSockets(agent)).toBe(1);
    second();
    expect(await idleSockets(agent)).toBe(0);
    // The agents stay usable for the next accounts.
    const third = connections.acquire();
    await get(agent, port);
    third();
    expect(await idleSockets(agent)).toBe(0);
  });
});
