/**
 * Choosing a language works with no connection (issue #14 item 8): the choice applies at once
 * (Paraglide's cookie, then a reload the service worker serves offline) and is saved to the
 * account when the server can be reached — at once when online, else on the next start or
 * `online` event of the staff app (flushPendingLanguage).
 */
import { isLocale, setLocale, type Locale } from '$lib/paraglide/runtime';

const PENDING = 'fieldbook:language-pending';

/** Posts the choice to the account; false when the server could not be reached. */
async function save(locale: Locale): Promise<boolean> {
	try {
		const res = await fetch('/language', {
			method: 'POST',
			body: new URLSearchParams({ locale, redirectTo: '/' }),
			redirect: 'manual'
		});
		// 303 (opaque here): saved. Any other answer is the server's word and final too.
		return res.type === 'opaqueredirect' || res.status < 500;
	} catch {
		return false;
	}
}

/** Applies `locale` now and saves it to the account (later, if offline). */
export async function chooseLanguage(locale: string): Promise<void> {
	if (!isLocale(locale)) return;
	// The cookie first, without Paraglide's reload: the server's answer sets the same cookie,
	// after which setLocale would see the locale as set already and not reload at all.
	await setLocale(locale, { reload: false });
	if (!(await save(locale))) localStorage.setItem(PENDING, locale);
	else localStorage.removeItem(PENDING);
	location.reload();
}

/** The language chosen offline, saved to the account now that the server may be reachable. */
export async function flushPendingLanguage(): Promise<void> {
	const locale = localStorage.getItem(PENDING);
	if (!locale) return;
	if (!isLocale(locale) || (await save(locale))) localStorage.removeItem(PENDING);
}
