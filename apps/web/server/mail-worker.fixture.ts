// A second process for notifications.test.ts: the mail worker (runMailWork) on the same database file, run when the
// test says so ("run <now>" on stdin, answered "done <result>" on stdout), at the clock reading the test gives.
import { runMailWork } from '@sopu/core';
import { createDb } from '@sopu/db';
import { createInterface } from 'node:readline';
import { createSmtpSender } from './mail.ts';

const [databasePath, smtpUrl] = process.argv.slice(2);
const db = await createDb({ url: `file:${databasePath}` });
const smtp = createSmtpSender(smtpUrl!, 'Sopu <no-reply@sopu.test>', { timeoutMs: 5_000 });
let now = 0;
const deps = { db, now: () => now, publicUrl: 'http://localhost' };
console.log('ready');
for await (const line of createInterface({ input: process.stdin })) {
  const [command, value] = line.split(' ');
  if (command !== 'run') break;
  now = Number(value);
  const result = await runMailWork(deps, { send: smtp.send, sender: `child-${process.pid}` });
  console.log(`done ${JSON.stringify(result)}`);
}
smtp.close();
await db.destroy();
