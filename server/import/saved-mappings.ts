/**
 * Mappings the user chose on the mapping screen (issue #13 item 3), stored per user and
 * layout signature (migration 016): a file with the same header row maps the same way next
 * time. Per user, not per workspace: one person's mapping never changes what another's
 * import does. Stored as target keys (src/lib/schema/import-mapping.ts) and read back through
 * the same strict parser, so a row written by an older version that no longer parses is
 * simply not used.
 */
import type { Mapping } from '../../src/lib/schema/import-fields.ts';
import { parseMappingKeys, targetKey } from '../../src/lib/schema/import-mapping.ts';
import type { Db } from '../db.ts';

export class SavedMappings {
	private readonly s;

	constructor(db: Db) {
		this.s = {
			get: db.prepare('SELECT layout, columns FROM import_mappings WHERE user_id = ? AND signature = ?'),
			put: db.prepare(
				`INSERT INTO import_mappings (user_id, signature, layout, columns, updated_at) VALUES (?, ?, ?, ?, ?)
				 ON CONFLICT (user_id, signature) DO UPDATE SET layout = excluded.layout, columns = excluded.columns,
				 updated_at = excluded.updated_at`
			)
		};
	}

	/** The user's mapping for a file with this signature, or null. */
	get(userId: string, signature: string): Mapping | null {
		const row = this.s.get.get(userId, signature) as { layout: string; columns: string } | undefined;
		if (!row) return null;
		let keys: unknown;
		try {
			keys = JSON.parse(row.columns);
		} catch {
			return null;
		}
		const count = Number(/^v1-(\d+)-/.exec(signature)?.[1] ?? -1);
		const parsed = parseMappingKeys(keys, count);
		return parsed.ok ? { layout: row.layout, signature, columns: parsed.targets } : null;
	}

	save(userId: string, mapping: Mapping): void {
		const keys = JSON.stringify(mapping.columns.map(targetKey));
		this.s.put.run(userId, mapping.signature, mapping.layout, keys, Date.now());
	}
}
