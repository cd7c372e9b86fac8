/** Seeds a SQLite file with W1 cases (see `seedW1Cases`) for a later benchmark process; reports how long it took. */
import { dirname } from 'node:path';
import { createServices } from '../server/services.ts';
import { seedW1Cases } from './seed.ts';
import { w1Connectors } from './w1.connectors.ts';
import { benchConfig } from './w1-setup.ts';

type Args = { file: string; count: number; stage: 'review' | 'final' };
const args = JSON.parse(process.argv[2] ?? '{}') as Args;

const started = performance.now();
const services = await createServices(benchConfig(dirname(args.file), args.file), { connectors: w1Connectors });
await seedW1Cases(services, args.count, args.stage);
// Fold the WAL into the file, so a copy of the file alone is the whole database.
services.database.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
await services.close();
process.send?.({ type: 'result', seconds: (performance.now() - started) / 1000 });
