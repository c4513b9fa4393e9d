/**
 * @module
 * The purge generations of every cache policy: one SQLite-backed Durable
 * Object per gateway holding, for each route (operationId) and tag, how many
 * times it was purged. Every cache key holds the generations of its route and
 * tags, so a purge is one increment here, which every data centre sees: the
 * old entries are never looked up again and expire with their lifetime.
 */
import { DurableObject } from "cloudflare:workers";

const SCHEMA = "CREATE TABLE IF NOT EXISTS generations (name TEXT PRIMARY KEY, generation INTEGER NOT NULL) WITHOUT ROWID";

export class CachePurges extends DurableObject {
  #ready = false;

  #sql(): SqlStorage {
    if (!this.#ready) {
      this.ctx.storage.sql.exec(SCHEMA);
      this.#ready = true;
    }
    return this.ctx.storage.sql;
  }

  /** The generation of each name (`route:<operationId>`, `tag:<tag>`), 0 for one never purged, in the order asked. */
  generations(names: string[]): number[] {
    const found = new Map<string, number>();
    for (const name of new Set(names)) {
      const row = this.#sql().exec<{ generation: number }>("SELECT generation FROM generations WHERE name = ?", name).toArray()[0];
      if (row) found.set(name, row.generation);
    }
    return names.map((name) => found.get(name) ?? 0);
  }

  /** Purges one name: its generation goes up by one, and the new one is returned. */
  purge(name: string): number {
    const [row] = this.#sql()
      .exec<{ generation: number }>("INSERT INTO generations VALUES (?, 1) ON CONFLICT DO UPDATE SET generation = generation + 1 RETURNING generation", name)
      .toArray();
    return row.generation;
  }
}
