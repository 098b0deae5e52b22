/**
 * "Export the selected contacts" on the Persons list (issue #13 item 4: vCard "for one
 * contact, a selection, or a list"): the body the page sends and how the server reads it.
 *
 * Rule (tested in tests/integration/export-selection.test.ts):
 * - the body is `{ "ids": [contactId, …] }`, 1 to MAX_SELECTION ids, each of the id syntax
 *   below; anything else — not JSON, not a list, a number, an id with other characters, too
 *   many ids — is a 400 with the reason, and nothing is exported;
 * - a well-formed id the server does not know (never existed, deleted, in the trash) and an
 *   id of a record the user may not read are left out alike, silently: a device's list may
 *   hold a contact deleted or made private since it synced, and one stale row must not block
 *   the others; treating both the same tells a user nothing about records they cannot read.
 *   The response says how many contacts it holds (`x-export-count`), so the page can tell
 *   the user when fewer than selected came back. When none is left, the answer is 404.
 */

/** The most contacts one selection exports: one .vcf a phone's address book still imports whole. */
export const MAX_SELECTION = 1000;

/** A record id as devices and the server make them (ids.ts's UUIDv7, test fixtures' "acme-c0"). */
const SELECTION_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export type SelectionError = 'not_a_list' | 'empty' | 'too_many' | 'bad_id';

export type ParsedSelection = { ok: true; ids: string[] } | { ok: false; error: SelectionError };

/** The contact ids of a selection body, each once, in the order sent. */
export function parseSelection(body: unknown): ParsedSelection {
	const ids = typeof body === 'object' && body !== null ? (body as { ids?: unknown }).ids : undefined;
	if (!Array.isArray(ids)) return { ok: false, error: 'not_a_list' };
	if (ids.length === 0) return { ok: false, error: 'empty' };
	if (ids.length > MAX_SELECTION) return { ok: false, error: 'too_many' };
	if (!ids.every((id) => typeof id === 'string' && SELECTION_ID_RE.test(id))) return { ok: false, error: 'bad_id' };
	return { ok: true, ids: [...new Set(ids as string[])] };
}
