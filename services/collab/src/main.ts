// The collab server alone, for scaling out: same database, same sessions, its own port. Each document has one
// writer at a time (a lease in the database): route each document id to one process (docs/decisions/014).
import { runCollabProcess } from './process.ts';

await runCollabProcess();
