/** Reading Fieldbook's SQLite file directly, as another process would (after a crash, say). */
import Database from 'better-sqlite3';
import path from 'node:path';
import * as Y from 'yjs';

/** Every document as the file holds it (snapshot, then the log after it), read by another connection. */
export function readFromDisk(
	dataDir: string,
	names: Iterable<string>
): { docs: Map<string, Y.Doc>; integrity: string } {
	const db = new Database(path.join(dataDir, 'fieldbook.sqlite'), { readonly: true });
	try {
		const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
			.map((r) => r.integrity_check)
			.join('; ');
		const head = db.prepare('SELECT snapshot, snapshot_seq FROM documents WHERE name = ?');
		const log = db.prepare('SELECT data FROM document_updates WHERE doc = ? AND seq > ? ORDER BY seq');
		const docs = new Map<string, Y.Doc>();
		for (const name of names) {
			const doc = new Y.Doc();
			const row = head.get(name) as { snapshot: Buffer | null; snapshot_seq: number } | undefined;
			if (row?.snapshot) Y.applyUpdate(doc, row.snapshot);
			for (const u of log.all(name, row?.snapshot_seq ?? 0) as { data: Buffer }[]) Y.applyUpdate(doc, u.data);
			docs.set(name, doc);
		}
		return { docs, integrity };
	} finally {
		db.close();
	}
}

/** The document's content with keys sorted (a map's key order follows the order its items arrived in). */
export const content = (doc: Y.Doc) =>
	JSON.stringify(
		['customer', 'managers', 'contacts'].map((root) => doc.getMap(root).toJSON()),
		(_key, value: unknown) =>
			value && typeof value === 'object' && !Array.isArray(value)
				? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
				: value
	);
