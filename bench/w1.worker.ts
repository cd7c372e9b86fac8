/**
 * One W1 benchmark process: sets up the engine on its store, warms up, reports `ready`, runs the workload on `go`
 * and reports its figures; keeps its job runner going (other processes may wait for its leases) until `stop`.
 */
import type { FromWorker, ToWorker, W1WorkerArgs } from './protocol.ts';
import { peakRssMiB } from './stats.ts';
import { setUpW1 } from './w1-setup.ts';
import { W1Workload } from './w1-workload.ts';

const send = (message: FromWorker) => new Promise<void>((resolve) => process.send?.(message, () => resolve()));
const args = JSON.parse(process.argv[2] ?? '{}') as W1WorkerArgs;
const workload = new W1Workload((caseId) => void send({ type: 'final', caseId }));
let stop: () => Promise<void> = async () => {};
const go = new Promise<number>((resolve) => {
  process.on('message', (message: ToWorker) => {
    if (message.type === 'go') resolve(message.durationMs);
    else if (message.type === 'final') workload.remoteFinished(message.caseId);
    else void stop().then(() => process.exit(0));
  });
});

try {
  const { engine, jobs, close } = await setUpW1(args.store, args.dataDir, workload, args.jobBatch);
  const runner = workload.startRunner(jobs);
  stop = async () => {
    await runner.stop();
    await close();
  };
  await workload.run(engine, args.shape, args.warmupMs);
  await send({ type: 'ready' });
  const durationMs = await go;
  const cpuBefore = process.cpuUsage();
  const result = await workload.run(engine, args.shape, durationMs);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  await send({ type: 'result', ...result, peakRssMiB: peakRssMiB(), failures: runner.failures(), cpuMs });
} catch (error) {
  await send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}
