import { exitOnFatalError } from '@sopu/collab';
import { demoLogins, DEMO_PASSWORD } from '@sopu/core/demo';
import { createLogger } from '@sopu/telemetry';
import { hostname } from 'node:os';
import { readEnv } from './env.ts';
import { mailNotice, startSopu } from './server/app.ts';

const env = readEnv();
const log = createLogger({ name: 'web', level: env.LOG_LEVEL, base: { instance: env.COLLAB_INSTANCE_ID ?? `web@${hostname()}:${env.PORT}` } });
exitOnFatalError('sopu', log);
const sopu = await startSopu(env, { log });

log.info({ url: env.publicUrl, host: env.HOST, port: sopu.port }, `Sopu is running on ${env.publicUrl} (listening on ${env.HOST}:${sopu.port})`);
log.info(mailNotice(sopu.deps.mailDelivery ?? 'none', env));
// The demo logins are a greeting for a person at a terminal (`npm start`, which asks for them whatever its output
// is), not a log line: a log never holds a password, not even the published demo one.
if (env.seedDemo && (process.stdout.isTTY || env.PRINT_DEMO_LOGINS)) {
  const byArea = new Map<string, ReturnType<typeof demoLogins>>();
  for (const login of demoLogins()) byArea.set(login.area, [...(byArea.get(login.area) ?? []), login]);
  const lines = [``, `Demo logins (demo data only), password for all: ${DEMO_PASSWORD}`];
  for (const [area, logins] of byArea) {
    lines.push(`  ${area}`);
    for (const l of logins) lines.push(`    ${l.email.padEnd(40)} ${l.role.padEnd(18)} ${l.municipality}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
} else if (env.seedDemo) {
  log.info('the demo areas are loaded (logins in the README)');
}

// SIGTERM (a deployment, a rolling restart): not ready at once, serve on for SHUTDOWN_DRAIN_SECONDS while the proxy
// moves traffic away, then close (every edit stored, leases released). SIGINT (Ctrl-C at a terminal): close now.
process.once('SIGTERM', () => {
  void sopu.drain().then(() => process.exit(0));
});
process.once('SIGINT', () => {
  void sopu.close().then(() => process.exit(0));
});
