/**
 * What a contact sees of their customer's module records (issue #12 item 3, SPEC §2, §6),
 * read from the customer document the server holds. Every rule of what is shown lives here,
 * once, for lists, views, printable views and actions alike:
 * - only the contact's own customer (the document is the session's customer; an id is looked
 *   up in it and nowhere else, so another customer's id is simply not there);
 * - a sales document only in the module its kind belongs to (SALES_PERMISSION: credit notes
 *   with invoices), never a draft, never one in the trash; contracts likewise;
 * - tickets and projects not in the trash; a project's tasks only when tasksVisible is on.
 * Views are plain data (the document is unloaded after the read).
 */
import type * as Y from 'yjs';
import { contactsMap, customerMap } from '../../src/lib/schema/customer-doc.ts';
import { addressLines } from '../../src/lib/schema/address-layout.ts';
import {
	SALES_KINDS,
	SALES_PERMISSION,
	type SalesKind,
	type SalesStatus,
	type TicketStatus
} from '../../src/lib/schema/modules.ts';
import {
	isDecidable,
	readContracts,
	readProjects,
	readSale,
	readSales,
	readTickets,
	statusOf,
	type Contract,
	type Project,
	type Sale,
	type Ticket
} from '../../src/lib/schema/module-doc.ts';
import type { PortalModule } from '../../src/lib/schema/portal.ts';
import { DEFAULT_CURRENCY } from '../../src/lib/schema/modules.ts';
import type { DocumentTotals } from '../../src/lib/schema/totals.ts';
import { lineTotals } from '../../src/lib/schema/totals.ts';

export type SalesModule = 'invoices' | 'estimates' | 'proposals';
export const isSalesModule = (m: PortalModule): m is SalesModule =>
	m === 'invoices' || m === 'estimates' || m === 'proposals';

/** The kinds a sales module shows. */
export const kindsOf = (module: SalesModule): SalesKind[] => SALES_KINDS.filter((k) => SALES_PERMISSION[k] === module);

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export interface SaleSummary {
	id: string;
	kind: SalesKind;
	/** "INV-000042", or null while the server has not numbered it. */
	number: string | null;
	subject: string | null;
	date: string | null;
	dueDate: string | null;
	status: SalesStatus;
	currency: string;
	total: number;
}

export interface SaleView extends SaleSummary {
	lines: {
		id: string;
		description: string | null;
		quantity: number;
		unitPrice: number;
		taxRate: number;
		net: number;
	}[];
	totals: DocumentTotals;
	notes: string | null;
	terms: string | null;
	/** A sent estimate or proposal the contact may still accept or decline. */
	decidable: boolean;
	decidedAt: number | null;
}

/** Whether a contact may see this sales document in this module. */
export function saleVisible(sale: Sale, module: SalesModule): boolean {
	return kindsOf(module).includes(sale.kind) && !sale.deletedAt && statusOf(sale) !== 'draft';
}

function summary(s: Sale): SaleSummary {
	return {
		id: s.id,
		kind: s.kind,
		number: s.displayNumber,
		subject: str(s.subject),
		date: str(s.date),
		dueDate: str(s.dueDate),
		status: statusOf(s) as SalesStatus,
		currency: str(s.currency) ?? DEFAULT_CURRENCY,
		total: s.totals.total
	};
}

export function listSales(doc: Y.Doc, module: SalesModule): SaleSummary[] {
	return readSales(doc)
		.filter((s) => saleVisible(s, module))
		.map(summary);
}

export function viewSale(doc: Y.Doc, module: SalesModule, id: string): SaleView | null {
	const s = readSale(doc, id);
	if (!s || !saleVisible(s, module)) return null;
	return {
		...summary(s),
		// The document's totals (totals.ts) as computed for it, never summed again here.
		totals: s.totals,
		lines: s.lines.map((l) => ({
			id: l.id,
			description: str(l.description),
			quantity: num(l.quantity) ?? 0,
			unitPrice: num(l.unitPrice) ?? 0,
			taxRate: num(l.taxRate) ?? 0,
			net: lineTotals(l).net
		})),
		notes: str(s.notes),
		terms: str(s.terms),
		decidable: isDecidable(s),
		decidedAt: num(s.decidedAt)
	};
}

export interface ContractView {
	id: string;
	subject: string | null;
	value: number | null;
	currency: string;
	startDate: string | null;
	endDate: string | null;
	content: string | null;
	signed: boolean;
	signedAt: number | null;
}

export const contractVisible = (c: Contract): boolean => !c.deletedAt && c.status !== 'draft' && c.status != null;

function contractView(c: Contract): ContractView {
	return {
		id: c.id,
		subject: str(c.subject),
		value: num(c.value),
		currency: str(c.currency) ?? DEFAULT_CURRENCY,
		startDate: str(c.startDate),
		endDate: str(c.endDate),
		content: str(c.content),
		signed: c.signed === true,
		signedAt: num(c.signedAt)
	};
}

export const listContracts = (doc: Y.Doc): ContractView[] =>
	readContracts(doc).filter(contractVisible).map(contractView);

export function viewContract(doc: Y.Doc, id: string): ContractView | null {
	const c = readContracts(doc).find((x) => x.id === id);
	return c && contractVisible(c) ? contractView(c) : null;
}

export interface TicketView {
	id: string;
	subject: string | null;
	status: TicketStatus;
	createdAt: number | null;
	/** `by`: "you" (the signed-in contact), "staff", or the name of another contact of the customer. */
	replies: { id: string; body: string | null; by: 'you' | 'staff' | { contact: string }; at: number | null }[];
}

/** Who wrote a reply, as the signed-in contact reads it. */
function replyAuthor(doc: Y.Doc, byContact: unknown, me: string): TicketView['replies'][number]['by'] {
	if (typeof byContact !== 'string' || byContact === '') return 'staff';
	if (byContact === me) return 'you';
	const c = contactsMap(doc).get(byContact);
	const name = c ? [str(c.get('firstName')), str(c.get('lastName'))].filter(Boolean).join(' ') : '';
	return { contact: name || '—' };
}

function ticketView(doc: Y.Doc, t: Ticket, me: string): TicketView {
	return {
		id: t.id,
		subject: str(t.subject),
		status: (str(t.status) ?? 'open') as TicketStatus,
		createdAt: num(t.createdAt),
		replies: t.replies.map((r) => ({
			id: r.id,
			body: str(r.body),
			by: replyAuthor(doc, r.byContact, me),
			at: num(r.createdAt)
		}))
	};
}

/** The customer's tickets (every contact of the customer with the support permission sees them all, as in Perfex). */
export const listTickets = (doc: Y.Doc, me: string): TicketView[] =>
	readTickets(doc).map((t) => ticketView(doc, t, me));

export function viewTicket(doc: Y.Doc, id: string, me: string): TicketView | null {
	const t = readTickets(doc).find((x) => x.id === id);
	return t ? ticketView(doc, t, me) : null;
}

export interface ProjectView {
	id: string;
	name: string | null;
	status: string;
	startDate: string | null;
	deadline: string | null;
	description: string | null;
	/** Null when the customer may not see the project's tasks. */
	tasks: { id: string; name: string | null; status: string; dueDate: string | null }[] | null;
}

function projectView(p: Project): ProjectView {
	return {
		id: p.id,
		name: str(p.name),
		status: str(p.status) ?? 'notStarted',
		startDate: str(p.startDate),
		deadline: str(p.deadline),
		description: str(p.description),
		tasks:
			p.tasksVisible === true
				? p.tasks.map((t) => ({
						id: t.id,
						name: str(t.name),
						status: str(t.status) ?? 'notStarted',
						dueDate: str(t.dueDate)
					}))
				: null
	};
}

export const listProjects = (doc: Y.Doc): ProjectView[] => readProjects(doc).map(projectView);

export function viewProject(doc: Y.Doc, id: string): ProjectView | null {
	const p = readProjects(doc).find((x) => x.id === id);
	return p ? projectView(p) : null;
}

/** The customer as printed on a sales document or contract. */
export interface CustomerDetails {
	name: string | null;
	address: string[];
	email: string | null;
	phone: string | null;
}

/** `locale`: the reader's language, for the address's layout and the country's name (address-layout.ts). */
export function customerDetails(doc: Y.Doc, fallbackName: string, locale: string): CustomerDetails {
	const c = customerMap(doc);
	const get = (k: string) => str(c.get(k));
	return {
		name: get('companyName') ?? fallbackName,
		address: addressLines(
			{
				street: get('street'),
				city: get('city'),
				state: get('state'),
				postalCode: get('postalCode'),
				country: get('country')
			},
			locale
		),
		email: get('email'),
		phone: get('phone')
	};
}
