// Child process: the plain baseline, @y/websocket-server 0.1.1's setupWSConnection (in memory, no persistence,
// no auth). Its bin (src/server.js) does exactly this, but with the ws 6.2.7 it resolves for itself and on a fixed
// port; here it gets the same ws 8.23.0 (perMessageDeflate off, as ours) and port 0, so that the comparison is of
// the server logic, not of the WebSocket library.
import { docs, setupWSConnection } from '@y/websocket-server/utils';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { serveParent, traceUpdates } from './child-control.ts';
import type { ServerReady } from './common.ts';

const traced = await traceUpdates();
delete process.env.YPERSISTENCE;
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
wss.on('connection', (ws, req) => setupWSConnection(ws, req));
const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('okay'));
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;

serveParent({
  stats: async () => {
    const trace = traced().sort((a, b) => a - b);
    const at = (p: number) => trace[Math.min(trace.length - 1, Math.floor((p / 100) * trace.length))] ?? 0;
    return { stats: { documents: docs.size, connections: wss.clients.size, traceN: trace.length, traceP50: at(50), traceP90: at(90), traceP99: at(99), traceMax: at(100) }, windows: {} };
  },
  // In memory only: a document nobody is connected to is gone (there is no cold load to measure).
  loaded: async (documentId) => docs.has(documentId),
  stop: async () => {
    for (const ws of wss.clients) ws.terminate();
    server.close();
    process.exit(0);
  },
});

const ready: ServerReady = {
  type: 'ready',
  port,
  wsUrl: `ws://127.0.0.1:${port}`,
  documentId: '',
  cookies: [],
  framing: 'y-websocket',
  description: '@y/websocket-server 0.1.1 setupWSConnection, in memory, no auth, ws 8.23.0',
};
process.send!(ready);
