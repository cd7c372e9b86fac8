import { definitionSchema } from '../../engine/definition/definition.schema.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import type { Services } from '../services.ts';

export const DEMO_TENANT = 'demo';

/**
 * Seeds the demo tenant into an EMPTY database: users `prozess`, `sachbearbeitung`, `admin` (for trying it
 * out only) and the example procedures, published. Returns false and changes nothing when data exists.
 */
export async function seedDemo(services: Services, password: string): Promise<boolean> {
  if (!(await services.identity.isEmpty())) return false;
  const now = services.clock.now();
  await services.identity.ensureTenant(DEMO_TENANT, 'Musterstadt', 'NW', now);
  await services.identity.setTenantContact(DEMO_TENANT, {
    email: 'barrierefreiheit@musterstadt.example',
    phone: '02131 9876-0',
    address: ['Stadt Musterstadt', 'Feedback-Stelle Barrierefreiheit', 'Rathausplatz 1', '41460 Musterstadt'],
    reviewedOn: '2026-11-21',
  });
  const workflows = await loadWorkflows();
  const groups = [...new Set(workflows.flatMap((w) => groupsOf(w.definition)))];
  await services.identity.createUser({
    tenantId: DEMO_TENANT,
    username: 'prozess',
    password,
    roles: ['process-owner'],
    groups: [],
    now,
  });
  await services.identity.createUser({
    tenantId: DEMO_TENANT,
    username: 'sachbearbeitung',
    password,
    roles: ['caseworker'],
    groups,
    now,
  });
  await services.identity.createUser({
    tenantId: DEMO_TENANT,
    username: 'admin',
    password,
    roles: ['admin'],
    groups: [],
    now,
  });
  for (const workflow of workflows) {
    const definition = definitionSchema.parse(workflow.definition);
    await services.procedures.saveDraft(DEMO_TENANT, definition, now);
    await services.procedures.publish(DEMO_TENANT, definition.key, 'prozess', services.ids.id(), now);
  }
  services.log.info('demo.seeded', { tenant: DEMO_TENANT, procedures: workflows.length });
  return true;
}

function groupsOf(definition: unknown): string[] {
  const parsed = definitionSchema.parse(definition);
  return Object.values(parsed.states).flatMap((s) => (s.kind === 'task' ? [s.group] : []));
}
