import { redirect } from '@sveltejs/kit';
import { loadProfile } from '$lib/data/profile';
import type { LayoutLoad } from './$types';

/**
 * The staff app renders in the browser only: its data lives on the device (IndexedDB), and
 * the installed app must open offline, where no server load can run. The service worker
 * serves the same app shell for every staff URL.
 */
export const ssr = false;

export const load: LayoutLoad = async ({ fetch, url }) => {
	const { user, online } = await loadProfile(fetch);
	if (!user) {
		// Offline the sign-in page cannot open: a page of the app says so instead (issue #14 item 8).
		if (!online) redirect(303, '/signed-out');
		const back = url.pathname + url.search;
		redirect(303, back === '/' ? '/login' : `/login?redirectTo=${encodeURIComponent(back)}`);
	}
	return { user, online };
};
