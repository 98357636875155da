// `npm run cluster`: two Sopu processes behind HAProxy on this machine (cluster.ts; README "Operating Sopu").
// SIGHUP restarts them one at a time (a rolling restart); Ctrl-C or SIGTERM stops everything.
import { z } from 'zod';
import { startCluster } from './cluster.ts';

const env = z
  .object({
    CLUSTER_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    CLUSTER_WEB_PORTS: z
      .string()
      .default('3101,3102')
      .transform((v) => v.split(',').map((p) => Number(p.trim())))
      .refine((p) => p.length === 2 && p.every((n) => Number.isInteger(n) && n > 0 && n < 65536), 'two ports, e.g. 3101,3102'),
    DATABASE_URL: z.string().min(1).default('file:./data/sopu.db'),
    PUBLIC_URL: z.url().optional(),
  })
  .safeParse(process.env);
if (!env.success) {
  console.error(`Invalid environment:\n${env.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  process.exit(2);
}
const { CLUSTER_PORT, CLUSTER_WEB_PORTS, DATABASE_URL, PUBLIC_URL } = env.data;

const cluster = await startCluster({
  databaseUrl: DATABASE_URL,
  proxyPort: CLUSTER_PORT,
  ports: [CLUSTER_WEB_PORTS[0]!, CLUSTER_WEB_PORTS[1]!],
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
