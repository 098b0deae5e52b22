/**
 * Known export layouts (issue #13 item 3): the header rows of the products teams come from,
 * and what each column means there. Columns whose names mislead are mapped by their meaning
 * in that product: Outlook's "Title" is the honorific (Dr., Mme) and "Job Title" the position;
 * Salesforce's "Title" is the position and "Salutation" the honorific.
 *
 * Sources of the header rows: each product's own export (Google Contacts "Google CSV" in the
 * old Given Name / E-mail 1 - Type form and the current First Name / E-mail 1 - Label form;
 * Outlook's "Comma Separated Values"; Salesforce's report export and Data Loader API names;
 * Perfex's contacts table export and its customer import template; ONLYOFFICE CRM's contact
 * export, English and German). tests/fixtures/import holds a sample of each.
 *
 * One module per layout family under layouts/; here their order and the lookup of a column.
 */
import type { ColumnTarget } from '../../src/lib/schema/import-fields.ts';
import { EXCEL_DE } from './layouts/excel-de.ts';
import { GOOGLE, GOOGLE_LEGACY } from './layouts/google.ts';
import type { Layout } from './layouts/layout.ts';
import { ONLYOFFICE } from './layouts/onlyoffice.ts';
import { OUTLOOK } from './layouts/outlook.ts';
import { PERFEX } from './layouts/perfex.ts';
import { SALESFORCE } from './layouts/salesforce.ts';

export { LAYOUT_IDS, type Layout, type LayoutId } from './layouts/layout.ts';

/** In the order they are tried: the more specific marker sets first. */
export const LAYOUTS: readonly Layout[] = [SALESFORCE, PERFEX, ONLYOFFICE, OUTLOOK, GOOGLE, GOOGLE_LEGACY, EXCEL_DE];

/** The target a layout gives a (normalised) header, or null when it does not know it. */
export function targetIn(layout: Layout, header: string): ColumnTarget | null {
	// Own keys only: a header named "constructor" is not Object.prototype's.
	if (Object.hasOwn(layout.columns, header)) return layout.columns[header];
	for (const [re, make] of layout.patterns ?? []) {
		const m = re.exec(header);
		if (m) return make(m);
	}
	return null;
}
