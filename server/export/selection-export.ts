/**
 * The contacts selected on the Persons list as one vCard 4.0 file (issue #13 item 4; the
 * request's rule in src/lib/schema/export-selection.ts). Only contacts the user may read:
 * each id is looked up in the server's projection — its customer, whether it is live — and
 * the access rule is asked for that customer, never for anything the request says. Ids that
 * are no live contact or not readable are left out alike.
 */
import type { CountryCode } from '../../src/lib/schema/phones.ts';
import { liveCustomFields } from '../../src/lib/schema/custom-fields.ts';
import { vcardsOf } from '../../src/lib/schema/vcard-write.ts';
import { allCustomValues, serverCustomFields } from '../custom-values.ts';
import type { Db } from '../db.ts';
import type { ExportFile } from './list-export.ts';
import { customLabels, personCard } from './list-columns.ts';
import { personRowsById, type PersonRow } from './list-rows.ts';

export function exportSelection(
	db: Db,
	canRead: (customerId: string) => boolean,
	ids: readonly string[],
	/** `region`: the workspace's default phone region, read as the list export reads it. */
	opts: { language?: string; region?: CountryCode | null; today?: Date } = {}
): ExportFile {
	const { language = 'en', region = null, today = new Date() } = opts;
	const readable = new Map<string, PersonRow>();
	for (const r of personRowsById(db, ids)) if (canRead(r.customerId)) readable.set(r.contactId, r);
	// In the order the page sent (its list's order), each contact once.
	const rows = ids.flatMap((id) => readable.get(id) ?? []);
	const defs = liveCustomFields(serverCustomFields(db), 'person');
	const custom = defs.length > 0 && rows.length > 0 ? allCustomValues(db).byContact : null;
	return {
		body: vcardsOf(
			rows.map((r) => personCard(r, language, defs, custom?.get(r.contactId), region)),
			customLabels(defs)
		),
		contentType: 'text/vcard; charset=utf-8',
		filename: `contacts-selection-${today.toISOString().slice(0, 10)}.vcf`,
		count: rows.length
	};
}
