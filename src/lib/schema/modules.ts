/**
 * The portal modules' records (SPEC §2 portal permissions, §3 notifications; issue #12):
 * sales documents (invoice, estimate, credit note, proposal) with their lines, contracts,
 * support tickets with their replies, projects with their tasks, and "send" requests. They
 * live in the customer's document (records.ts DOC), one Y.Map per record under its id, one key
 * per field, so staff create and edit them offline like contacts and they follow the
 * customer's access rules. Field specs, statuses, ownership and limits are defined here once,
 * for the device, the server's validation and projection, and the portal.
 *
 * Money is held in minor units (cents) as integers; a line's amounts are computed by
 * totals.ts, the same on the device and on the server.
 */
import { DOC, FIELD_OWNERSHIP, text, type FieldSpec, type Notification, type PortalPermission } from './records.ts';

export const SALES_KINDS = ['invoice', 'estimate', 'creditNote', 'proposal'] as const;
export type SalesKind = (typeof SALES_KINDS)[number];

/** The statuses each kind of sales document moves through (staff set them; the portal accepts or declines). */
export const SALES_STATUSES = {
	invoice: ['draft', 'sent', 'paid', 'cancelled'],
	estimate: ['draft', 'sent', 'accepted', 'declined'],
	creditNote: ['draft', 'sent', 'closed'],
	proposal: ['draft', 'sent', 'accepted', 'declined']
} as const satisfies Record<SalesKind, readonly string[]>;
export type SalesStatus = (typeof SALES_STATUSES)[SalesKind][number];
const ALL_SALES_STATUSES = [...new Set(Object.values(SALES_STATUSES).flat())];

export const isSalesStatusOf = (kind: SalesKind, status: unknown): status is SalesStatus =>
	(SALES_STATUSES[kind] as readonly unknown[]).includes(status);

/** Kinds the customer answers in the portal (accept or decline), while they are "sent". */
export const DECIDABLE_KINDS: readonly SalesKind[] = ['estimate', 'proposal'];

/** The portal permission that shows a kind (credit notes are part of invoices, as in Perfex). */
export const SALES_PERMISSION: Record<SalesKind, PortalPermission> = {
	invoice: 'invoices',
	creditNote: 'invoices',
	estimate: 'estimates',
	proposal: 'proposals'
};

/**
 * The notification flag that chooses who gets a kind's mail (SPEC §3.1) and who the send
 * dialog preselects (§3.2). Proposals have no flag of their own (SPEC §2 lists none): they
 * follow the estimate flag, being quotes too.
 */
export const SALES_NOTIFICATION: Record<SalesKind, Notification> = {
	invoice: 'invoice',
	creditNote: 'creditNote',
	estimate: 'estimate',
	proposal: 'estimate'
};

/** Printed numbers: a prefix per kind and the server's sequence number, e.g. INV-000042. */
export const SALES_PREFIX: Record<SalesKind, string> = {
	invoice: 'INV',
	estimate: 'EST',
	creditNote: 'CN',
	proposal: 'PRO'
};

export const CONTRACT_STATUSES = ['draft', 'sent', 'signed'] as const;
export const TICKET_STATUSES = ['open', 'inProgress', 'answered', 'onHold', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const PROJECT_STATUSES = ['notStarted', 'inProgress', 'onHold', 'finished', 'cancelled'] as const;
export const TASK_STATUSES = ['notStarted', 'inProgress', 'testing', 'awaitingFeedback', 'complete'] as const;

const id: FieldSpec = { type: 'id' };
const time: FieldSpec = { type: 'time' };
const date: FieldSpec = { type: 'date' };
/** Amounts in minor units, up to ±10^13 (a hundred billion in a two-digit currency). */
const money: FieldSpec = { type: 'integer', min: -1e13, max: 1e13 };
const bool: FieldSpec = { type: 'boolean' };
const enumOf = (values: readonly string[]): FieldSpec => ({ type: 'enum', values });

/** Fields every module record has: who made it and when, who changed it last, the trash. */
const STAMPS = {
	createdBy: id,
	createdAt: time,
	updatedBy: id,
	updatedAt: time,
	deletedAt: time,
	deletedBy: id
} as const satisfies Record<string, FieldSpec>;

export const SALES_FIELDS = {
	kind: enumOf(SALES_KINDS),
	/** Assigned by the server when it first stores the document (per-kind sequence); absent: a draft number. */
	number: { type: 'integer', min: 1, max: 1e12 },
	subject: text(200),
	/** Issue date. */
	date,
	/** Invoice: due date; estimate and proposal: valid until; credit note: unused. */
	dueDate: date,
	currency: text(3, 'currency'),
	status: enumOf(ALL_SALES_STATUSES),
	/** The contact the document is addressed to (optional). */
	contactId: id,
	notes: text(10_000),
	terms: text(10_000),
	/** Set by the server when a contact accepts or declines in the portal. */
	decidedAt: time,
	decidedByContact: id,
	/** Set by the server when it sent the "invoice overdue" mail. */
	overdueNotifiedAt: time,
	...STAMPS
} as const satisfies Record<string, FieldSpec>;
export type SalesField = keyof typeof SALES_FIELDS;

export const SALES_LINE_FIELDS = {
	saleId: id,
	/** Order within the document (ascending; ties by id). */
	position: { type: 'integer', min: -1e9, max: 1e9 },
	description: text(1000),
	/** Up to 4 decimals (hours, kilograms); negative for a discount line. */
	quantity: { type: 'number', min: -1e9, max: 1e9, decimals: 4 },
	/** Minor units of the document's currency. */
	unitPrice: money,
	/** Percent, up to 2 decimals. */
	taxRate: { type: 'number', min: 0, max: 100, decimals: 2 },
	createdBy: id,
	createdAt: time
} as const satisfies Record<string, FieldSpec>;
export type SalesLineField = keyof typeof SALES_LINE_FIELDS;

export const CONTRACT_FIELDS = {
	subject: text(200),
	/** Minor units of `currency`. */
	value: money,
	currency: text(3, 'currency'),
	startDate: date,
	endDate: date,
	content: text(50_000),
	status: enumOf(CONTRACT_STATUSES),
	signed: bool,
	signedAt: time,
	...STAMPS
} as const satisfies Record<string, FieldSpec>;
export type ContractField = keyof typeof CONTRACT_FIELDS;

export const TICKET_FIELDS = {
	subject: text(200),
	status: enumOf(TICKET_STATUSES),
	/** The contact the ticket is about; set by the server when a contact opens it in the portal. */
	contactId: id,
	/** Set by the server: the ticket was opened by this contact in the portal. */
	openedByContact: id,
	...STAMPS
} as const satisfies Record<string, FieldSpec>;
export type TicketField = keyof typeof TICKET_FIELDS;

/** A reply in a ticket's thread: from staff (createdBy) or from a contact (byContact, set by the server). */
export const TICKET_REPLY_FIELDS = {
	ticketId: id,
	body: text(10_000),
	byContact: id,
	createdBy: id,
	createdAt: time
} as const satisfies Record<string, FieldSpec>;
export type TicketReplyField = keyof typeof TICKET_REPLY_FIELDS;

export const PROJECT_FIELDS = {
	name: text(200),
	status: enumOf(PROJECT_STATUSES),
	startDate: date,
	deadline: date,
	description: text(10_000),
	/** Whether the customer's contacts see the project's tasks (and get task mail). */
	tasksVisible: bool,
	...STAMPS
} as const satisfies Record<string, FieldSpec>;
export type ProjectField = keyof typeof PROJECT_FIELDS;

export const TASK_FIELDS = {
	projectId: id,
	name: text(200),
	status: enumOf(TASK_STATUSES),
	dueDate: date,
	...STAMPS
} as const satisfies Record<string, FieldSpec>;
export type TaskField = keyof typeof TASK_FIELDS;

/** What a send request is about: a sales document or a contract. */
export const SEND_TARGETS = [DOC.sales, DOC.contracts] as const;

/**
 * "Send" (SPEC §3.2): staff chose recipients in the send dialog, on the device, offline too.
 * The server mails them once it stores the request, in the same transaction (the outbox),
 * and never twice. `recipients` holds contact ids separated by spaces.
 */
export const SEND_FIELDS = {
	target: enumOf(SEND_TARGETS),
	recordId: id,
	recipients: text(64 * 65),
	createdBy: id,
	createdAt: time
} as const satisfies Record<string, FieldSpec>;
export type SendField = keyof typeof SEND_FIELDS;

/** The module roots of a customer document and their records' fields. */
export const MODULE_FIELDS = {
	[DOC.sales]: SALES_FIELDS,
	[DOC.salesLines]: SALES_LINE_FIELDS,
	[DOC.contracts]: CONTRACT_FIELDS,
	[DOC.tickets]: TICKET_FIELDS,
	[DOC.ticketReplies]: TICKET_REPLY_FIELDS,
	[DOC.projects]: PROJECT_FIELDS,
	[DOC.tasks]: TASK_FIELDS,
	[DOC.sends]: SEND_FIELDS
} as const satisfies Record<string, Record<string, FieldSpec>>;
export type ModuleRoot = keyof typeof MODULE_FIELDS;
export const MODULE_ROOTS = Object.keys(MODULE_FIELDS) as ModuleRoot[];

export interface Ownership {
	/** Set when the record is created, never changed or removed afterwards. */
	writeOnce: readonly string[];
	/** Set and cleared by the server only. */
	server: readonly string[];
	/** Attribution: must name the user whose session writes it. */
	author: readonly string[];
}

const STAMP_OWNERSHIP = { writeOnce: ['createdBy', 'createdAt'], author: ['createdBy', 'updatedBy', 'deletedBy'] };

/**
 * Who may write a module record's fields beyond the customer's access (as FIELD_OWNERSHIP
 * in records.ts for customers and contacts). What a record is (its kind, its parent), who made
 * it, what the server assigned (numbers, a contact's decision) and what was sent or said (a
 * send request, a reply) cannot be rewritten by a later writer.
 */
export const MODULE_OWNERSHIP: Record<ModuleRoot, Ownership> = {
	[DOC.sales]: {
		writeOnce: ['kind', ...STAMP_OWNERSHIP.writeOnce],
		server: ['number', 'decidedAt', 'decidedByContact', 'overdueNotifiedAt'],
		author: STAMP_OWNERSHIP.author
	},
	[DOC.salesLines]: { writeOnce: ['saleId', 'createdBy', 'createdAt'], server: [], author: ['createdBy'] },
	[DOC.contracts]: { writeOnce: STAMP_OWNERSHIP.writeOnce, server: [], author: STAMP_OWNERSHIP.author },
	[DOC.tickets]: { writeOnce: STAMP_OWNERSHIP.writeOnce, server: ['openedByContact'], author: STAMP_OWNERSHIP.author },
	[DOC.ticketReplies]: {
		writeOnce: ['ticketId', 'body', 'createdBy', 'createdAt'],
		server: ['byContact'],
		author: ['createdBy']
	},
	[DOC.projects]: { writeOnce: STAMP_OWNERSHIP.writeOnce, server: [], author: STAMP_OWNERSHIP.author },
	[DOC.tasks]: { writeOnce: ['projectId', ...STAMP_OWNERSHIP.writeOnce], server: [], author: STAMP_OWNERSHIP.author },
	[DOC.sends]: {
		writeOnce: ['target', 'recordId', 'recipients', 'createdBy', 'createdAt'],
		server: [],
		author: ['createdBy']
	}
};

/** Field ownership of every part of a customer document: the customer, contacts and module records. */
export const OWNERSHIP: Readonly<Record<'customer' | 'contacts' | ModuleRoot, Ownership>> = {
	...FIELD_OWNERSHIP,
	...MODULE_OWNERSHIP
};

/** How many records one customer may hold per module root (the server refuses more: 4413). */
export const MODULE_LIMITS: Record<ModuleRoot, number> = {
	[DOC.sales]: 5_000,
	[DOC.salesLines]: 50_000,
	[DOC.contracts]: 1_000,
	[DOC.tickets]: 5_000,
	[DOC.ticketReplies]: 50_000,
	[DOC.projects]: 1_000,
	[DOC.tasks]: 20_000,
	[DOC.sends]: 20_000
};

/** Staff-facing number of a sales document: "INV-000042", or null while it is a draft number. */
export function formatSalesNumber(kind: SalesKind, number: unknown): string | null {
	return typeof number === 'number' && Number.isSafeInteger(number) && number > 0
		? `${SALES_PREFIX[kind]}-${String(number).padStart(6, '0')}`
		: null;
}

/** The default currency of new documents when the settings name none. */
export const DEFAULT_CURRENCY = 'EUR';

const maxOf = (spec: FieldSpec): number => (spec.type === 'text' ? spec.max : 0);

/** What a contact may write in the portal: a ticket's subject and a message (the field specs' limits). */
export const TICKET_LIMITS = {
	subject: maxOf(TICKET_FIELDS.subject),
	body: maxOf(TICKET_REPLY_FIELDS.body)
} as const;
