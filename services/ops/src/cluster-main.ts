// `npm run cluster`: two Sopu processes behind HAProxy on this machine (cluster.ts; README "Operating Sopu").
// SIGHUP restarts them one at a time (a rolling restart); Ctrl-C or SIGTERM stops everything.
import { startCluster } from './cluster.ts';
import { readClusterEnv, type ClusterEnv } from './env.ts';

let env: ClusterEnv;
try {
  env = readClusterEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const { proxyPort: CLUSTER_PORT, webPorts, databaseUrl: DATABASE_URL, publicUrl: PUBLIC_URL } = env;

const cluster = await startCluster({
  databaseUrl: DATABASE_URL,
  proxyPort: CLUSTER_PORT,
  ports: webPorts,
  ...(PUBLIC_URL ? { publicUrl: PUBLIC_URL } : {}),
  supervise: true,
});
process.stderr.write(
  `\nSopu cluster: HAProxy on ${PUBLIC_URL ?? `http://localhost:${CLUSTER_PORT}`} → ${cluster.processes.map((p) => `${p.name} on 127.0.0.1:${p.port} (pid ${p.pid()})`).join(', ')}\n` +
    `  rolling restart: kill -HUP ${process.pid}    stop: Ctrl-C\n\n`,
);

let restarting = false;
process.on('SIGHUP', () => {
  if (restarting) return;
  restarting = true;
  process.stderr.write('↻ rolling restart: one process at a time\n');
  cluster
    .rollingRestart()
    .then(() => process.stderr.write('✓ rolling restart done\n'))
    .catch((error: unknown) => process.stderr.write(`✗ rolling restart failed: ${String(error)}\n`))
    .finally(() => (restarting = false));
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cluster.stop().then(() => process.exit(0));
  });
}
