/**
 * The contact dialog's form state: a contact as it is typed (plain strings and ticks), made
 * from a stored contact or blank, and turned back into the fields that are saved.
 */
import type { ContactData, ContactRecord } from '$lib/schema/customer-doc';
import {
	LANGUAGES,
	NOTIFICATIONS,
	PORTAL_PERMISSIONS,
	notificationKey,
	permissionKey,
	type Language,
	type Notification,
	type PortalPermission
} from '$lib/schema/records';
import { richDraftFrom, richToData, type RichDraft } from './rich-draft';

export interface ContactDraft {
	firstName: string;
	lastName: string;
	position: string;
	email: string;
	phone: string;
	primary: boolean;
	doNotSendWelcome: boolean;
	/** The language of the mail the contact gets; '' = the installation's default. */
	language: Language | '';
	permissions: Record<PortalPermission, boolean>;
	notifications: Record<Notification, boolean>;
	/** Further labelled e-mails and phones, name parts, birthday, tags, … (issue #13 item 2). */
	rich: RichDraft;
}

/** A new contact: SPEC §2, new contacts get the default permissions from the settings. */
export function blankDraft(defaultPermissions: Record<PortalPermission, boolean> | null): ContactDraft {
	return {
		firstName: '',
		lastName: '',
		position: '',
		email: '',
		phone: '',
		primary: false,
		doNotSendWelcome: false,
		language: '',
		// SPEC §2: new contacts get the default permissions from the settings.
		permissions: Object.fromEntries(PORTAL_PERMISSIONS.map((p) => [p, defaultPermissions?.[p] ?? false])) as Record<
			PortalPermission,
			boolean
		>,
		notifications: Object.fromEntries(NOTIFICATIONS.map((n) => [n, false])) as Record<Notification, boolean>,
		rich: richDraftFrom({})
	};
}

/** A stored contact as the form edits it. */
export function draftFrom(c: ContactRecord): ContactDraft {
	const s = (v: unknown) => (typeof v === 'string' ? v : '');
	return {
		firstName: s(c.firstName),
		lastName: s(c.lastName),
		position: s(c.position),
		email: s(c.email),
		phone: s(c.phone),
		primary: c.primary,
		doNotSendWelcome: c.doNotSendWelcome === true,
		language: LANGUAGES.find((l) => l === c.language) ?? '',
		permissions: Object.fromEntries(PORTAL_PERMISSIONS.map((p) => [p, c[permissionKey(p)] === true])) as Record<
			PortalPermission,
			boolean
		>,
		notifications: Object.fromEntries(NOTIFICATIONS.map((n) => [n, c[notificationKey(n)] === true])) as Record<
			Notification,
			boolean
		>,
		rich: richDraftFrom(c)
	};
}

/** What the form saves: trimmed text, every permission and notification flag. */
export function draftToData(d: ContactDraft, isNew: boolean): ContactData {
	const data: ContactData = {
		firstName: d.firstName.trim(),
		lastName: d.lastName.trim(),
		position: d.position.trim(),
		email: d.email.trim(),
		phone: d.phone.trim()
	};
	// Only a new contact can be welcomed: the welcome e-mail goes out once, on creation.
	if (isNew) data.doNotSendWelcome = d.doNotSendWelcome;
	if (d.language || !isNew) data.language = d.language || null;
	for (const p of PORTAL_PERMISSIONS) data[permissionKey(p)] = d.permissions[p];
	for (const n of NOTIFICATIONS) data[notificationKey(n)] = d.notifications[n];
	// The primary e-mail and phone with their labels and slots: the first value typed is the primary.
	for (const [k, v] of Object.entries(richToData(d.rich, d))) {
		// A new contact stores no empty keys.
		if (!isNew || (v !== null && v !== false)) (data as Record<string, unknown>)[k] = v;
	}
	return data;
}
