/**
 * The doors of every module route (pages, form actions, printable views): form actions run
 * before any layout load, so each asks here itself. Whatever is refused — no session, a
 * module that is not one or not permitted, an id that is not there or not the contact's to
 * see — answers the portal's one 404 (SPEC §2), never a hint of which it was.
 */
import { error } from '@sveltejs/kit';
import type * as Y from 'yjs';
import { isPortalModule, PORTAL_NOT_FOUND, type PortalModule } from '$lib/schema/portal';
import { getContext } from '$server/context';
import type { Actor } from '$server/portal/actions';
import type { PortalContact } from '$server/portal/contacts';

export function notFound(): never {
	error(404, PORTAL_NOT_FOUND);
}

/** The signed-in contact and the module they may open, or the one 404. */
export function openModule(locals: App.Locals, param: string): { contact: PortalContact; module: PortalModule } {
	const contact = locals.contact;
	if (!contact || !isPortalModule(param) || contact.permissions[param] !== true) notFound();
	return { contact, module: param };
}

/** The acting contact, in their own customer's document (never one the request names). */
export const actor = (contact: PortalContact): Actor => ({ contactId: contact.id, customerId: contact.customerId });

/**
 * Reads the contact's own customer document as the server holds it; `fn` returns null for
 * "not there", which becomes the one 404 like a document the server does not hold.
 */
export async function readOwn<T>(contact: PortalContact, fn: (doc: Y.Doc) => T | null): Promise<T> {
	const found = await getContext().docs.read(contact.customerId, fn);
	if (found === null) notFound();
	return found;
}
