import { exitOnFatalError } from '@sopu/collab';
import { demoLogins, DEMO_PASSWORD } from '@sopu/core/demo';
import { readEnv } from './env.ts';
import { mailNotice, startSopu } from './server/app.ts';

exitOnFatalError('sopu');
const env = readEnv();
const sopu = await startSopu(env);

const byArea = new Map<string, ReturnType<typeof demoLogins>>();
for (const login of demoLogins()) byArea.set(login.area, [...(byArea.get(login.area) ?? []), login]);
console.log(`\nSopu is running on ${env.publicUrl} (listening on ${env.HOST}:${sopu.port})`);
console.log(mailNotice(sopu.deps.mailDelivery ?? 'none', env));
if (env.seedDemo) {
  console.log(`\nDemo logins (demo data only), password for all: ${DEMO_PASSWORD}`);
  for (const [area, logins] of byArea) {
    console.log(`  ${area}`);
    for (const l of logins) console.log(`    ${l.email.padEnd(40)} ${l.role.padEnd(18)} ${l.municipality}`);
  }
}
console.log('');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sopu.close().then(() => process.exit(0));
  });
}
