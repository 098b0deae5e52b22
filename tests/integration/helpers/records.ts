/**
 * Creates customer records on the real server the way a device does: the first update of a
 * new document, pushed over the background-sync feed, makes its author a manager.
 */
import * as Y from 'yjs';
import {
	addContact,
	initCustomer,
	trashContact,
	type ContactData,
	type CustomerData
} from '../../../src/lib/schema/customer-doc.ts';
import type { Access } from '../../../src/lib/schema/records.ts';
import { FeedMsg } from '../../../src/lib/schema/protocol.ts';
import { FeedClient } from './feed.ts';
import type { Client } from './http.ts';
import type { TestServer } from './server.ts';
import { until } from './sync.ts';

export interface CreatedRecord {
	name: string;
	/** The creating update (already committed). */
	update: Uint8Array;
	authorId: string;
}

export async function createCustomer(
	server: TestServer,
	client: Client,
	name: string,
	opts: {
		fields?: CustomerData;
		access?: Access;
		managers?: string[];
		/** Its contacts by id, in this order (the first is the primary contact). */
		contacts?: Record<string, ContactData>;
		/** Ids of those contacts put in the trash by the same update. */
		trashed?: string[];
	} = {}
): Promise<CreatedRecord> {
	const authorId = await client.userId();
	const doc = new Y.Doc();
	const now = Date.now();
	initCustomer(doc, { kind: 'company', authorId, now, fields: { companyName: name, ...opts.fields } });
	if (opts.access) doc.getMap('customer').set('access', opts.access);
	for (const m of opts.managers ?? []) doc.getMap('managers').set(m, true);
	for (const [id, fields] of Object.entries(opts.contacts ?? {})) addContact(doc, { id, fields, authorId, now });
	for (const id of opts.trashed ?? []) trashContact(doc, id, now);
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	const feed = await FeedClient.open(server, client);
	try {
		feed.send({ type: FeedMsg.push, doc: name, update });
		await until(() => feed.of(FeedMsg.ack).length + feed.of(FeedMsg.refused).length > 0, 5000, 'creation');
		const refused = feed.of(FeedMsg.refused)[0];
		if (refused) throw new Error(`creating ${name} was refused: ${refused.reason}`);
	} finally {
		feed.close();
	}
	return { name, update, authorId };
}
