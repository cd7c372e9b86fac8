import { readdir, readFile } from 'node:fs/promises';
import { z } from 'zod';

const eventData = z.record(z.string(), z.unknown());

/** An event a sample sends to the case; the same shapes the engine's runtime takes. */
export const sampleEventSchema = z.union([
  z.object({ type: z.templateLiteral(['task:', z.string().min(1)]), data: eventData.optional() }).strict(),
  z.object({ type: z.literal('job:done'), result: z.unknown() }).strict(),
  z
    .object({ type: z.literal('job:failed'), error: z.object({ code: z.string(), message: z.string() }).strict() })
    .strict(),
  z.object({ type: z.templateLiteral(['message:', z.string().min(1)]), data: eventData.optional() }).strict(),
  z.object({ type: z.literal('timeout') }).strict(),
]);
export type SampleEvent = z.infer<typeof sampleEventSchema>;

/**
 * A sample application with its expected way through the procedure: the states the case waits in (task, service,
 * wait, timer), each with the event that moves it on, the final state and the public status labels the citizen sees
 * (consecutive repeats counted once). `send: null` may only end the path: the case then rests in that state and
 * `final` names it.
 */
export const sampleSchema = z
  .object({
    title: z.string().min(1),
    data: z.record(z.string(), z.unknown()),
    path: z.array(z.object({ expect: z.string().min(1), send: sampleEventSchema.nullable() }).strict()),
    final: z.string().min(1),
    statusLabels: z.array(z.string().min(1)),
  })
  .strict()
  .refine(
    (sample) =>
      sample.path.every(
        (step, i) => step.send !== null || (i === sample.path.length - 1 && step.expect === sample.final),
      ),
    { message: '„send: null“ nur im letzten Schritt, und „final“ nennt dann diesen Zustand', path: ['path'] },
  );
export type Sample = z.infer<typeof sampleSchema>;

/** A procedure of this folder: its definition as stored (parse it with the engine's schema) and its samples. */
export type Workflow = { key: string; definition: unknown; samples: Sample[] };

/** Every group the procedures here assign tasks to; a demo installation creates these. */
export const DEMO_GROUPS = [
  'Standesamt',
  'Bauhof',
  'Ordnungsamt',
  'Grünflächenamt',
  'Bauhof-Leitung',
  'Ordnungsamt-Leitung',
  'Grünflächenamt-Leitung',
  'Steueramt',
  'Abfallwirtschaft',
  'Bürgerbüro',
] as const;

const root = new URL('./', import.meta.url);

async function readJson(url: URL): Promise<unknown> {
  return JSON.parse(await readFile(url, 'utf8'));
}

/**
 * Reads every procedure folder (`<key>/definition.json`, `<key>/samples/*.json`), sorted by key and file name.
 * Samples are parsed here; a malformed sample throws with its file name.
 */
export async function loadWorkflows(): Promise<Workflow[]> {
  const entries = await readdir(root, { withFileTypes: true });
  const keys = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const workflows: Workflow[] = [];
  for (const key of keys) {
    const dir = new URL(`${key}/`, root);
    const definition = await readJson(new URL('definition.json', dir));
    const files = (await readdir(new URL('samples/', dir))).filter((f) => f.endsWith('.json')).sort();
    const samples: Sample[] = [];
    for (const name of files) {
      const parsed = sampleSchema.safeParse(await readJson(new URL(`samples/${name}`, dir)));
      if (!parsed.success) throw new Error(`${key}/samples/${name}: ${z.prettifyError(parsed.error)}`);
      samples.push(parsed.data);
    }
    workflows.push({ key, definition, samples });
  }
  return workflows;
}
