/** Words for the portal modules' codes (kinds, statuses, errors) in the user's language (SPEC §7). */
import { fieldErrorText } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import type { FieldError } from '$lib/schema/fields';
import {
	CONTRACT_STATUSES,
	PROJECT_STATUSES,
	TASK_STATUSES,
	TICKET_STATUSES,
	type SalesKind,
	type SalesStatus
} from '$lib/schema/modules';

export const KIND_LABELS: Record<SalesKind, () => string> = {
	invoice: m.sales_kind_invoice,
	estimate: m.sales_kind_estimate,
	creditNote: m.sales_kind_credit_note,
	proposal: m.sales_kind_proposal
};

export const NEW_SALE_LABELS: Record<SalesKind, () => string> = {
	invoice: m.sales_new_invoice,
	estimate: m.sales_new_estimate,
	creditNote: m.sales_new_credit_note,
	proposal: m.sales_new_proposal
};

export const SALES_STATUS_LABELS: Record<SalesStatus, () => string> = {
	draft: m.sales_status_draft,
	sent: m.sales_status_sent,
	paid: m.sales_status_paid,
	cancelled: m.sales_status_cancelled,
	accepted: m.sales_status_accepted,
	declined: m.sales_status_declined,
	closed: m.sales_status_closed
};

export const CONTRACT_STATUS_LABELS: Record<(typeof CONTRACT_STATUSES)[number], () => string> = {
	draft: m.contract_status_draft,
	sent: m.contract_status_sent,
	signed: m.contract_status_signed
};

export const TICKET_STATUS_LABELS: Record<(typeof TICKET_STATUSES)[number], () => string> = {
	open: m.ticket_status_open,
	inProgress: m.ticket_status_in_progress,
	answered: m.ticket_status_answered,
	onHold: m.ticket_status_on_hold,
	closed: m.ticket_status_closed
};

export const PROJECT_STATUS_LABELS: Record<(typeof PROJECT_STATUSES)[number], () => string> = {
	notStarted: m.project_status_not_started,
	inProgress: m.project_status_in_progress,
	onHold: m.project_status_on_hold,
	finished: m.project_status_finished,
	cancelled: m.project_status_cancelled
};

export const TASK_STATUS_LABELS: Record<(typeof TASK_STATUSES)[number], () => string> = {
	notStarted: m.project_task_status_not_started,
	inProgress: m.project_task_status_in_progress,
	testing: m.project_task_status_testing,
	awaitingFeedback: m.project_task_status_awaiting_feedback,
	complete: m.project_task_status_complete
};

/** A status's label from a table, or the raw code when the table lacks it (a value from a newer version). */
export function labelOf(table: Record<string, () => string>, code: unknown): string {
	const f = typeof code === 'string' ? table[code] : undefined;
	return f ? f() : String(code ?? '');
}

/** Select options from a list of codes and their labels. */
export const optionsOf = (codes: readonly string[], table: Record<string, () => string>) =>
	codes.map((c) => ({ value: c, label: labelOf(table, c) }));

/** Error codes of the schema's checks and of the module forms, as sentences. */
export function moduleErrorText(code: string): string {
	switch (code) {
		case 'amount':
			return m.module_error_amount();
		case 'number':
			return m.module_error_number();
		case 'invalid':
		case 'invalid_url':
			return m.module_error_invalid();
		default:
			return fieldErrorText(code as FieldError) ?? m.module_error_invalid();
	}
}

/** ISO 4217 codes the browser knows (every current currency), with a short fallback list. */
export function currencyCodes(): string[] {
	try {
		return Intl.supportedValuesOf('currency');
	} catch {
		return ['CHF', 'EUR', 'GBP', 'PLN', 'USD'];
	}
}

/** Built once per language: about 300 names, asked for by every money field. */
const currencyNames = new Map<string, { value: string; label: string }[]>();

/** "EUR — Euro" in the user's language, every ISO 4217 code (and `current` if the list lacks it). */
export function currencyOptions(locale: string, current: string): { value: string; label: string }[] {
	let options = currencyNames.get(locale);
	if (!options) {
		let names: Intl.DisplayNames | null = null;
		try {
			names = new Intl.DisplayNames(locale, { type: 'currency' });
		} catch {
			names = null;
		}
		options = currencyCodes().map((c) => ({ value: c, label: `${c} — ${names?.of(c) ?? c}` }));
		currencyNames.set(locale, options);
	}
	return !current || options.some((o) => o.value === current)
		? options
		: [...options, { value: current, label: current }];
}

/** A stored calendar date ("2026-12-07") in the user's language, read as that day everywhere. */
export function formatDay(locale: string, day: unknown): string {
	if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return '';
	const [y, mo, d] = day.split('-').map(Number);
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(y, mo - 1, d));
}

/** A number typed with "." or "," as the decimal mark; null when it is not one. */
export function parseDecimal(input: string): number | null {
	const t = input
		.trim()
		.replace(/[\s\u00a0\u202f']/g, '')
		.replace(',', '.');
	if (!/^[+-]?\d+(\.\d+)?$/.test(t)) return null;
	const v = Number(t);
	return Number.isFinite(v) ? v : null;
}

/** A record as a module tab lists it. */
export interface Row {
	id: string;
	/** What the record is called in the list ("INV-000042", "Draft number", a subject). */
	title: string;
	/** Short facts after the title: date, status, total. */
	facts: string[];
	deletedAt: number | null;
}
