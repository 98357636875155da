// The standalone collab process (src/process.ts), except that a commit waits while the file named by the first
// argument exists, and says so on stdout ("commit held"): crash.test.ts kills it at that point, with an update
// received and not yet stored, where a relay before the store would certainly have reached a peer.
import { existsSync } from 'node:fs';
import { runCollabProcess } from '../src/process.ts';

const gate = process.argv[2];
if (!gate) throw new Error('usage: held-commits-child.ts <file that holds commits while it exists>');

await runCollabProcess({
  wrapStore: (store) => ({
    ...store,
    async append(...args) {
      if (existsSync(gate)) {
        console.log('commit held');
        while (existsSync(gate)) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return store.append(...args);
    },
  }),
});
