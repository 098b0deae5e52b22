/**
 * The portal modules' records of the customer open on screen (issue #12): sales documents,
 * contracts, tickets, projects and send requests, mirrored into `$state` on every update of
 * the customer's document (local, or live from other staff), and changed only through the
 * schema's functions (module-doc.ts), so every edit works offline and syncs like a contact's.
 */
import * as Y from 'yjs';
import {
	addSaleLine,
	createRecord,
	createSale,
	readContracts,
	readProjects,
	readRecords,
	readSales,
	readTickets,
	removeRecord,
	requestSend,
	restoreRecord,
	saleLines,
	sendRecipients,
	trashRecord,
	updateRecord,
	validateModuleFields,
	type Contract,
	type Project,
	type Sale,
	type Ticket
} from '$lib/schema/module-doc';
import { DEFAULT_CURRENCY, type ModuleRoot, type SalesKind, type SendField } from '$lib/schema/modules';
import { newId } from '$lib/schema/ids';
import { DOC, type FieldValue } from '$lib/schema/records';

/** A send request as the document shows it: when, by whom, to which contacts. */
export interface SendRecord {
	id: string;
	recordId: string;
	at: number;
	by: string;
	recipients: string[];
}

export class ModulesState {
	/** Every sales document, trashed ones too (lists split them). */
	sales = $state.raw<Sale[]>([]);
	contracts = $state.raw<Contract[]>([]);
	tickets = $state.raw<Ticket[]>([]);
	projects = $state.raw<Project[]>([]);
	sends = $state.raw<SendRecord[]>([]);

	constructor(
		private readonly doc: Y.Doc,
		private readonly authorId: string,
		/** After a local change: write it to the device and push it (CustomerState). */
		private readonly committed: () => void
	) {
		this.read();
	}

	readonly read = (): void => {
		const doc = this.doc;
		this.sales = readSales(doc, { includeDeleted: true });
		this.contracts = readContracts(doc, { includeDeleted: true });
		this.tickets = readTickets(doc, { includeDeleted: true });
		this.projects = readProjects(doc, { includeDeleted: true });
		this.sends = readRecords<SendField>(doc, DOC.sends)
			.map((s) => ({
				id: s.id,
				recordId: String(s.recordId ?? ''),
				at: Number(s.createdAt ?? 0),
				by: String(s.createdBy ?? ''),
				recipients: sendRecipients(s.recipients)
			}))
			.sort((a, b) => b.at - a.at || b.id.localeCompare(a.id));
	};

	sendsOf(recordId: string): SendRecord[] {
		return this.sends.filter((s) => s.recordId === recordId);
	}

	private done(): void {
		this.committed();
	}

	createSale(kind: SalesKind, currency = DEFAULT_CURRENCY): string {
		const now = Date.now();
		const id = newId(now);
		createSale(this.doc, { id, kind, authorId: this.authorId, now, fields: { currency } });
		this.done();
		return id;
	}

	/**
	 * Checks the fields with the schema's specs and writes them when valid (SPEC §8: nothing
	 * invalid is written); returns error codes by field.
	 */
	update(root: ModuleRoot, id: string, fields: Record<string, FieldValue>): Record<string, string> {
		const errors = validateModuleFields(root, fields);
		if (Object.keys(errors).length > 0) return errors;
		updateRecord(this.doc, root, id, fields, this.authorId, Date.now());
		this.done();
		return {};
	}

	trash(root: ModuleRoot, id: string): void {
		trashRecord(this.doc, root, id, this.authorId, Date.now());
		this.done();
	}

	restore(root: ModuleRoot, id: string): void {
		restoreRecord(this.doc, root, id, this.authorId, Date.now());
		this.done();
	}

	addLine(saleId: string): string {
		const now = Date.now();
		const id = newId(now);
		addSaleLine(this.doc, { id, saleId, authorId: this.authorId, now });
		this.done();
		return id;
	}

	/** Line edits carry no stamps of their own: the document records who changed it. */
	updateLine(saleId: string, lineId: string, fields: Record<string, FieldValue>): Record<string, string> {
		const errors = validateModuleFields(DOC.salesLines, fields);
		if (Object.keys(errors).length > 0) return errors;
		this.doc.transact(() => {
			updateRecord(this.doc, DOC.salesLines, lineId, fields, this.authorId, Date.now());
			updateRecord(this.doc, DOC.sales, saleId, {}, this.authorId, Date.now());
		});
		this.done();
		return {};
	}

	removeLine(saleId: string, lineId: string): void {
		this.doc.transact(() => {
			removeRecord(this.doc, DOC.salesLines, lineId);
			updateRecord(this.doc, DOC.sales, saleId, {}, this.authorId, Date.now());
		});
		this.done();
	}

	/** Moves a line one place up (-1) or down (+1), renumbering the document's lines. */
	moveLine(saleId: string, lineId: string, delta: -1 | 1): void {
		const lines = saleLines(this.doc, saleId);
		const i = lines.findIndex((l) => l.id === lineId);
		const j = i + delta;
		if (i < 0 || j < 0 || j >= lines.length) return;
		[lines[i], lines[j]] = [lines[j], lines[i]];
		this.doc.transact(() => {
			lines.forEach((l, n) => {
				if (l.position !== n) updateRecord(this.doc, DOC.salesLines, l.id, { position: n }, this.authorId, Date.now());
			});
			updateRecord(this.doc, DOC.sales, saleId, {}, this.authorId, Date.now());
		});
		this.done();
	}

	createContract(currency = DEFAULT_CURRENCY): string {
		return this.create(DOC.contracts, { status: 'draft', currency, signed: false });
	}

	createTicket(subject: string): string {
		return this.create(DOC.tickets, { subject, status: 'open' });
	}

	createProject(name: string): string {
		return this.create(DOC.projects, { name, status: 'notStarted', tasksVisible: false });
	}

	createTask(projectId: string, name: string): string {
		return this.create(DOC.tasks, { projectId, name, status: 'notStarted' });
	}

	reply(ticketId: string, body: string): string {
		return this.create(DOC.ticketReplies, { ticketId, body });
	}

	private create(root: ModuleRoot, fields: Record<string, FieldValue>): string {
		const now = Date.now();
		const id = newId(now);
		createRecord(this.doc, root, { id, fields, authorId: this.authorId, now });
		this.done();
		return id;
	}

	/** The send dialog's "Send" (SPEC §3.2): the server mails the recipients once it stores this. */
	send(target: typeof DOC.sales | typeof DOC.contracts, recordId: string, recipients: readonly string[]): void {
		const now = Date.now();
		requestSend(this.doc, { id: newId(now), target, recordId, recipients, authorId: this.authorId, now });
		this.done();
	}
}
