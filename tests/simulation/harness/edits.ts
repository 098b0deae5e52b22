/**
 * Random edits as the app makes them: the schema's own functions (customer-doc.ts) with valid
 * values, on records the device's copy says the user may change (a copy that may be stale, so
 * the server can still refuse). A few are deliberately bad: an invalid value, an unknown key,
 * a change only managers may make, an edit of a read-only record, a creation that does not make
 * its author a manager. Contact e-mails come from a small pool, so duplicates (the server's
 * cross-document rule) happen; a trashed primary contact exercises the primary-contact repair.
 */
import * as Y from 'yjs';
import { canManage, canWrite, recordAccess } from '../../../src/lib/schema/access.ts';
import {
	addContact,
	addManager,
	contactsMap,
	customerMap,
	initCustomer,
	managers,
	removeManager,
	restoreContact,
	restoreCustomer,
	setPrimaryContact,
	trashContact,
	trashCustomer,
	updateContact,
	updateCustomer,
	type ContactData,
	type CustomerData
} from '../../../src/lib/schema/customer-doc.ts';
import {
	ACCESS_LEVELS,
	NOTIFICATIONS,
	PORTAL_PERMISSIONS,
	notificationKey,
	permissionKey
} from '../../../src/lib/schema/records.ts';
import { DEFAULT_CONTACT_TYPE_ID } from '../../../src/lib/schema/settings.ts';
import type { SimDevice } from './device.ts';
import type { Random } from './random.ts';

export interface EditWorld {
	r: Random;
	/** Simulated time (ms), for the stamps the schema functions write. */
	now: number;
	/** Every staff user id (managers are chosen among them). */
	userIds: readonly string[];
	/**
	 * A new document name (unique in the run), or null when the run has its documents; `starved`:
	 * the device may change none of the records it holds (a few more are allowed then).
	 */
	newDocName(starved: boolean): string | null;
	/** A new contact id, unique in the run. */
	newContactId(): string;
	/** Share of deliberately bad edits. */
	badEdits: number;
}

export type EditKind = 'valid' | 'bad' | 'create' | 'none';

const CITIES = ['Berlin', 'Łódź', 'Lyon', 'Porto', 'Leeds', 'Zürich'];
const FIRST = ['Anna', 'Jan', 'Zoë', 'Luís', 'Marie'];
const LAST = ['Nowak', 'Silva', 'Dubois', 'Müller', 'Smith'];
/** Trimmed and lower-cased, several of these are the same address (the duplicate rule). */
const CONTACT_EMAILS = ['anna@example.com', 'ANNA@example.com', 'jan@example.com', 'office@example.com', ''];

const live = (doc: Y.Doc) => [...contactsMap(doc).entries()].filter(([, m]) => !m.get('deletedAt')).map(([id]) => id);
const trashed = (doc: Y.Doc) => [...contactsMap(doc).entries()].filter(([, m]) => m.get('deletedAt')).map(([id]) => id);

function customerFields(r: Random, n: number): CustomerData {
	switch (r.int(9)) {
		case 0:
			return { city: r.pick(CITIES) };
		case 1:
			return { phone: `+49 30 ${100_000 + n}` };
		case 2:
			return { description: `visit ${n}` };
		case 3:
			return { companyName: `Firma ${n % 7}` };
		case 4:
			return { email: `office${n % 3}@example.com` };
		case 5:
			return { website: `https://example.com/${n}` };
		case 6:
			return { postalCode: String(10_000 + n), country: r.pick(['DE', 'PL', 'FR']) };
		case 7:
			// An unknown contact type is repaired by the server to the default.
			return { contactTypeId: r.chance(0.5) ? DEFAULT_CONTACT_TYPE_ID : `type-${n % 3}` };
		default:
			return { city: null };
	}
}

function contactFields(r: Random, n: number): ContactData {
	switch (r.int(7)) {
		case 0:
			return { firstName: r.pick(FIRST) };
		case 1:
			return { lastName: r.pick(LAST) };
		case 2:
			return { email: r.pick(CONTACT_EMAILS) };
		case 3:
			return { phone: `+44 20 ${n}`, position: r.chance(0.5) ? `Buyer ${n % 4}` : null };
		case 4:
			return { [permissionKey(r.pick(PORTAL_PERMISSIONS))]: r.chance(0.5) };
		case 5:
			return { [notificationKey(r.pick(NOTIFICATIONS))]: r.chance(0.5) };
		default:
			return { doNotSendWelcome: r.chance(0.5) };
	}
}

/** Makes one random edit on `device` and says what kind it was. */
export function randomEdit(device: SimDevice, w: EditWorld): EditKind {
	const { r } = w;
	const user = device.user;
	const held = [...device.docs.entries()].filter(([, d]) => recordAccess(d) !== null);
	const writable = held.filter(([, d]) => canWrite(user, recordAccess(d)));
	if (writable.length === 0 || r.chance(0.02)) {
		const name = w.newDocName(writable.length === 0);
		if (name) return create(device, name, w);
		if (held.length === 0) return 'none';
	}
	const [name, doc] = r.pick(held);
	const access = recordAccess(doc);
	const n = r.int(1_000_000);
	if (r.chance(w.badEdits)) {
		device.edit(name, (d) => badEdit(d, w, device, canManage(user, access), canWrite(user, access)));
		return 'bad';
	}
	if (!canWrite(user, access)) {
		// A reader looks; someone else's record may still be writable on this device.
		if (writable.length === 0) return 'none';
		return validEdit(device, ...r.pick(writable), w, n);
	}
	return validEdit(device, name, doc, w, n);
}

function validEdit(device: SimDevice, name: string, doc: Y.Doc, w: EditWorld, n: number): EditKind {
	const { r, now } = w;
	const me = device.user.id;
	const manages = canManage(device.user, recordAccess(doc));
	const x = r.next();
	device.edit(name, (d) => {
		const contacts = live(d);
		if (x < 0.3) return updateCustomer(d, customerFields(r, n), me, now);
		if (x < 0.55 && contacts.length > 0) return updateContact(d, r.pick(contacts), contactFields(r, n), me, now);
		// At most a handful of contacts, trashed ones included: every commit re-projects them all.
		if (x < 0.65 && contactsMap(d).size < 5) {
			const fields = { firstName: r.pick(FIRST), lastName: r.pick(LAST), email: r.pick(CONTACT_EMAILS) };
			return addContact(d, { id: w.newContactId(), fields, authorId: me, now, primary: r.chance(0.2) });
		}
		if (x < 0.72 && contacts.length > 0) return trashContact(d, r.pick(contacts), now);
		if (x < 0.75 && trashed(d).length > 0) return restoreContact(d, r.pick(trashed(d)));
		if (x < 0.8 && contacts.length > 1) return setPrimaryContact(d, r.pick(contacts));
		if (x < 0.88 && manages) return updateCustomer(d, { access: r.pick(ACCESS_LEVELS) }, me, now);
		if (x < 0.96 && manages) {
			const current = managers(d);
			if (r.chance(0.5) || current.length <= 1) return addManager(d, r.pick(w.userIds), me, now);
			return void removeManager(d, r.pick(current), me, now);
		}
		if (x < 0.98 && manages) {
			if (customerMap(d).get('deletedAt')) return restoreCustomer(d);
			return trashCustomer(d, me, now);
		}
		updateCustomer(d, { description: `note ${n}` }, me, now);
	});
	return 'valid';
}

/** Something the server must refuse: invalid, or beyond what this user may change. */
function badEdit(d: Y.Doc, w: EditWorld, device: SimDevice, manages: boolean, writes: boolean): void {
	const { r } = w;
	const customer = customerMap(d) as Y.Map<unknown>;
	if (!writes) return void customer.set('city', 'Nowhere'); // read only
	if (!manages && r.chance(0.6)) {
		if (r.chance(0.5)) return void customer.set('access', 'public-write');
		return void d.getMap('managers').set(device.user.id, true);
	}
	switch (r.int(4)) {
		case 0:
			return void customer.set('email', 'not an e-mail');
		case 1:
			return void customer.set('bogus', 1);
		case 2:
			return void customer.set('description', 'x'.repeat(10_001));
		default: {
			const contacts = live(d);
			if (contacts.length === 0) return void customer.set('kind', 'robot');
			return void (contactsMap(d).get(r.pick(contacts)) as Y.Map<unknown>).set('firstName', 42);
		}
	}
}

/** A new record, as the app creates one: its first update makes the author a manager. */
function create(device: SimDevice, name: string, w: EditWorld): EditKind {
	const { r, now } = w;
	const me = device.user.id;
	const others = w.userIds.filter((id) => id !== me);
	// Rarely, a forged creation that does not make its author a manager.
	const forged = r.chance(w.badEdits / 2) && others.length > 0;
	device.edit(name, (d) => {
		initCustomer(d, {
			kind: r.chance(0.7) ? 'company' : 'person',
			authorId: me,
			now,
			fields: { companyName: `New ${name}` },
			managers: r.chance(0.3) ? [r.pick(w.userIds)] : []
		});
		if (forged) {
			managersMapOf(d).delete(me);
			managersMapOf(d).set(r.pick(others), true);
		}
		if (r.chance(0.6)) updateCustomer(d, { access: r.pick(ACCESS_LEVELS) }, me, now);
		if (r.chance(0.7)) {
			const fields = { firstName: r.pick(FIRST), lastName: r.pick(LAST), email: r.pick(CONTACT_EMAILS) };
			addContact(d, { id: w.newContactId(), fields, authorId: me, now });
		}
	});
	return forged ? 'bad' : 'create';
}

const managersMapOf = (d: Y.Doc) => d.getMap<boolean>('managers');
