import type { Kysely } from 'kysely';
import { type Definition, definitionSchema } from '../../engine/definition/definition.schema.ts';
import type { DB } from './schema.ts';

export type PublishedVersion = {
  key: string;
  version: number;
  title: string;
  definition: Definition;
  publishedAt: Date;
};

/** How many parsed published versions a store keeps; a published version never changes, so a kept one stays valid. */
const PARSED_VERSIONS = 500;

/** Drafts and published versions of procedures. Published versions are never updated, only added. */
export class ProcedureStore {
  /** Parsed published versions by `tenant/key@version`: every application reads one, parsing it is not free. */
  private readonly parsed = new Map<string, PublishedVersion>();

  constructor(private readonly db: Kysely<DB>) {}

  /** Creates or replaces the draft of a procedure. */
  async saveDraft(tenantId: string, definition: Definition, now: Date): Promise<void> {
    await this.db
      .insertInto('procedures')
      .values({
        tenantId,
        key: definition.key,
        title: definition.title,
        draft: JSON.stringify(definition),
        updatedAt: now.getTime(),
      })
      .onConflict((oc) =>
        oc.columns(['tenantId', 'key']).doUpdateSet({
          title: definition.title,
          draft: JSON.stringify(definition),
          updatedAt: now.getTime(),
        }),
      )
      .execute();
  }

  async draft(tenantId: string, key: string): Promise<Definition | undefined> {
    const row = await this.db
      .selectFrom('procedures')
      .select('draft')
      .where('tenantId', '=', tenantId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? definitionSchema.parse(JSON.parse(row.draft)) : undefined;
  }

  /** Publishes the draft as the next version; the unique key makes concurrent publishes safe. */
  async publish(
    tenantId: string,
    key: string,
    by: string,
    id: string,
    now: Date,
  ): Promise<PublishedVersion | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const draft = await tx
        .selectFrom('procedures')
        .select(['draft', 'title'])
        .where('tenantId', '=', tenantId)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!draft) return undefined;
      const last = await tx
        .selectFrom('procedureVersions')
        .select((eb) => eb.fn.max('version').as('max'))
        .where('tenantId', '=', tenantId)
        .where('key', '=', key)
        .executeTakeFirst();
      const version = Number(last?.max ?? 0) + 1;
      await tx
        .insertInto('procedureVersions')
        .values({
          id,
          tenantId,
          key,
          version,
          title: draft.title,
          definition: draft.draft,
          publishedAt: now.getTime(),
          publishedBy: by,
        })
        .execute();
      return {
        key,
        version,
        title: draft.title,
        definition: definitionSchema.parse(JSON.parse(draft.draft)),
        publishedAt: now,
      };
    });
  }

  async version(tenantId: string, key: string, version?: number): Promise<PublishedVersion | undefined> {
    let query = this.db
      .selectFrom('procedureVersions')
      .select(['key', 'version', 'title', 'definition', 'publishedAt'])
      .where('tenantId', '=', tenantId)
      .where('key', '=', key);
    query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
    const row = await query.executeTakeFirst();
    if (!row) return undefined;
    const cacheKey = `${tenantId}/${row.key}@${row.version}`;
    let published = this.parsed.get(cacheKey);
    if (!published) {
      published = {
        key: row.key,
        version: row.version,
        title: row.title,
        definition: definitionSchema.parse(JSON.parse(row.definition)),
        publishedAt: new Date(row.publishedAt),
      };
      if (this.parsed.size >= PARSED_VERSIONS) this.parsed.clear();
      this.parsed.set(cacheKey, published);
    }
    return published;
  }

  async versions(tenantId: string, key: string) {
    const found = await this.db
      .selectFrom('procedureVersions')
      .select(['version', 'title', 'publishedAt', 'publishedBy'])
      .where('tenantId', '=', tenantId)
      .where('key', '=', key)
      .orderBy('version', 'desc')
      .execute();
    return found.map((v) => ({ ...v, publishedAt: new Date(v.publishedAt).toISOString() }));
  }

  /** The newest published version of every procedure of a tenant (the citizen's catalogue). */
  async latestPublished(tenantId: string): Promise<PublishedVersion[]> {
    const found = await this.db
      .selectFrom('procedureVersions as v')
      .select(['v.key', 'v.version', 'v.title', 'v.definition', 'v.publishedAt'])
      .where('v.tenantId', '=', tenantId)
      .where((eb) =>
        eb(
          'v.version',
          '=',
          eb
            .selectFrom('procedureVersions as w')
            .select((e) => e.fn.max('w.version').as('m'))
            .whereRef('w.tenantId', '=', 'v.tenantId')
            .whereRef('w.key', '=', 'v.key'),
        ),
      )
      .orderBy('v.title')
      .execute();
    return found.map((row) => ({
      key: row.key,
      version: row.version,
      title: row.title,
      definition: definitionSchema.parse(JSON.parse(row.definition)),
      publishedAt: new Date(row.publishedAt),
    }));
  }

  async keys(tenantId: string): Promise<{ key: string; title: string; updatedAt: Date }[]> {
    const found = await this.db
      .selectFrom('procedures')
      .select(['key', 'title', 'updatedAt'])
      .where('tenantId', '=', tenantId)
      .orderBy('title')
      .execute();
    return found.map((r) => ({ ...r, updatedAt: new Date(r.updatedAt) }));
  }
}
