/**
 * Portal test data, written as a staff device writes it (issue #12): a customer document with
 * contacts and module records, pushed over the background-sync feed, so every record passes
 * the real server's validation (field specs, ownership, limits) — never SQL. Shared by the
 * portal's integration tests and its e2e spec.
 */
import * as Y from 'yjs';
import { addContact, type ContactData } from '../../../src/lib/schema/customer-doc.ts';
import { addSaleLine, createRecord, createSale, trashRecord } from '../../../src/lib/schema/module-doc.ts';
import type { SalesKind } from '../../../src/lib/schema/modules.ts';
import { FeedMsg } from '../../../src/lib/schema/protocol.ts';
import { DOC, type FieldValue, type PortalPermission } from '../../../src/lib/schema/records.ts';
import { FeedClient } from './feed.ts';
import type { Client } from './http.ts';
import { createCustomer } from './records.ts';
import type { TestServer } from './server.ts';
import { until } from './sync.ts';

export const PORTAL_PASSWORD = 'portal-password-1';

/** A customer document being written by a staff user, pushed in one update. */
export class SeedDoc {
	readonly doc = new Y.Doc();
	private before: Uint8Array;
	private n = 0;

	constructor(
		readonly name: string,
		readonly authorId: string,
		created: Uint8Array
	) {
		Y.applyUpdate(this.doc, created);
		this.before = Y.encodeStateVector(this.doc);
	}

	/** A stable, valid record id for this document (ids are the schema's: [A-Za-z0-9_-]{1,64}). */
	id(label: string): string {
		return `${this.name}-${label}-${++this.n}`.slice(-64);
	}

	contact(id: string, fields: ContactData, permissions: readonly PortalPermission[]): this {
		addContact(this.doc, {
			id,
			fields,
			authorId: this.authorId,
			now: Date.now(),
			defaultPermissions: Object.fromEntries(permissions.map((p) => [p, true]))
		});
		return this;
	}

	/** A sales document with lines ([description, quantity, unit price in minor units, tax %]). */
	sale(
		id: string,
		kind: SalesKind,
		status: string,
		lines: [string, number, number, number][],
		extra: Record<string, FieldValue> = {}
	): this {
		const now = Date.now();
		createSale(this.doc, {
			id,
			kind,
			authorId: this.authorId,
			now,
			fields: { status, currency: 'EUR', date: '2026-11-02', dueDate: '2026-12-02', ...extra }
		});
		lines.forEach(([description, quantity, unitPrice, taxRate], i) =>
			addSaleLine(this.doc, {
				id: `${id}-l${i}`.slice(-64),
				saleId: id,
				authorId: this.authorId,
				now,
				fields: { description, quantity, unitPrice, taxRate }
			})
		);
		return this;
	}

	record(root: (typeof DOC)[keyof typeof DOC], id: string, fields: Record<string, FieldValue>): this {
		createRecord(this.doc, root as Parameters<typeof createRecord>[1], {
			id,
			fields,
			authorId: this.authorId,
			now: Date.now()
		});
		return this;
	}

	trash(root: Parameters<typeof trashRecord>[1], id: string): this {
		trashRecord(this.doc, root, id, this.authorId, Date.now());
		return this;
	}

	/** Pushes what was written since the last push; fails when the server refuses it. */
	async push(server: TestServer, staff: Client): Promise<void> {
		const update = Y.encodeStateAsUpdate(this.doc, this.before);
		this.before = Y.encodeStateVector(this.doc);
		const feed = await FeedClient.open(server, staff);
		try {
			feed.send({ type: FeedMsg.push, doc: this.name, update });
			await until(() => feed.of(FeedMsg.ack).length + feed.of(FeedMsg.refused).length > 0, 5000, 'seed stored');
			const refused = feed.of(FeedMsg.refused)[0];
			if (refused) throw new Error(`seeding ${this.name} was refused: ${JSON.stringify(refused)}`);
		} finally {
			feed.close();
		}
	}
}

/** A new company customer, ready to be written to. */
export async function seedCustomer(server: TestServer, staff: Client, name: string, company: string): Promise<SeedDoc> {
	const created = await createCustomer(server, staff, name, { fields: { companyName: company } });
	return new SeedDoc(name, created.authorId, created.update);
}

/** Gives a contact a portal password (staff API). */
export async function setPortalPassword(staff: Client, contactId: string, password = PORTAL_PASSWORD): Promise<void> {
	const res = await staff.postJson(`/api/contacts/${contactId}/password`, { password });
	if (res.status !== 200) throw new Error(`setting ${contactId}'s password answered ${res.status}`);
}
