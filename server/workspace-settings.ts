/**
 * Workspace settings as the store holds them (settings.ts), for server code that has no room
 * at hand (exports): read from the committed settings document.
 */
import * as Y from 'yjs';
import type { CountryCode } from '../src/lib/schema/phones.ts';
import { readPhoneRegion, SETTINGS_DOC } from '../src/lib/schema/settings.ts';
import type { Db } from './db.ts';
import { SqliteDocStore } from './sync/doc-store.ts';

function readSettings<T>(db: Db, read: (doc: Y.Doc) => T): T {
	const doc = new Y.Doc();
	try {
		for (const u of new SqliteDocStore(db).load(SETTINGS_DOC)?.updates ?? []) Y.applyUpdate(doc, u);
		return read(doc);
	} finally {
		doc.destroy();
	}
}

/** The workspace's default phone region, or null when none is set. */
export function serverPhoneRegion(db: Db): CountryCode | null {
	return readSettings(db, readPhoneRegion);
}
