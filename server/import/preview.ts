/**
 * A row of the preview (issue #13 item 3): as it will be stored (to-records.ts), with the
 * fields no record holds yet and its warnings, or refused with the reason.
 */
import type { CustomFieldDef } from '../../src/lib/schema/custom-fields.ts';
import type { ContactData, CustomerData } from '../../src/lib/schema/customer-doc.ts';
import type { RowResult, RowWarning } from './row-draft.ts';
import { planRecords } from './to-records.ts';

export type PreviewRow =
	| { line: number; outcome: 'refused'; reason: string; column?: number }
	| {
			line: number;
			outcome: 'ready';
			kind: 'contact' | 'person' | 'company';
			company: string | null;
			customer: CustomerData;
			contact: ContactData | null;
			notKept: string[];
			warnings: RowWarning[];
	  };

export function previewOf(r: RowResult, customFields: readonly CustomFieldDef[] = []): PreviewRow {
	if (r.kind === 'refused')
		return r.column === undefined
			? { line: r.line, outcome: 'refused', reason: r.reason }
			: { line: r.line, outcome: 'refused', reason: r.reason, column: r.column };
	const planned = planRecords(r.draft, undefined, customFields);
	if (!planned.ok) return { line: r.line, outcome: 'refused', reason: 'invalid' };
	const p = planned.plan;
	return {
		line: r.line,
		outcome: 'ready',
		kind: p.kind,
		company: p.kind === 'contact' ? p.company : null,
		customer: p.kind === 'contact' ? { kind: 'company', companyName: p.company, ...p.companyFields } : p.customer,
		contact: p.kind === 'company' ? null : p.contact,
		notKept: p.notKept,
		warnings: r.warnings
	};
}
