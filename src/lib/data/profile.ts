/**
 * The signed-in user's profile, kept on the device so the installed app opens with no
 * connection (the server is asked whenever it can be reached).
 */
import type { WorkspaceUser } from './workspace.svelte';

const KEY = 'fieldbook:profile';

export type ProfileResult = { user: WorkspaceUser; online: boolean } | { user: null; online: boolean };

/** Set when a user signed out with no connection: the server's session ends at the next contact. */
const ENDED = 'fieldbook:signed-out-offline';

/** The server's word when it answers; the device's copy when the network is down. */
export async function loadProfile(fetcher: typeof fetch = fetch): Promise<ProfileResult> {
	if (signedOutOffline()) {
		// Signed out on this device: no one is signed in here, whatever the cookie still says.
		return { user: null, online: await endServerSession(fetcher) };
	}
	// The browser knows it has no network: the device's copy at once, not after a request fails
	// (an offline start paints sooner, issue #15 item 2).
	if (typeof navigator !== 'undefined' && navigator.onLine === false) return { user: cachedProfile(), online: false };
	try {
		const res = await fetcher('/api/session', { headers: { accept: 'application/json' } });
		if (res.status === 401) {
			// Signed out (or the session expired): the device keeps its data, but not who was signed in.
			forgetProfile();
			return { user: null, online: true };
		}
		if (res.ok) {
			const { user } = (await res.json()) as { user: WorkspaceUser };
			if (typeof localStorage !== 'undefined') localStorage.setItem(KEY, JSON.stringify(user));
			return { user, online: true };
		}
	} catch {
		// offline: fall through to the device's copy
	}
	return { user: cachedProfile(), online: false };
}

export function cachedProfile(): WorkspaceUser | null {
	if (typeof localStorage === 'undefined') return null;
	try {
		const raw = localStorage.getItem(KEY);
		return raw ? (JSON.parse(raw) as WorkspaceUser) : null;
	} catch {
		return null;
	}
}

export function forgetProfile(): void {
	if (typeof localStorage !== 'undefined') localStorage.removeItem(KEY);
}

/**
 * Signs out on this device, with or without a connection (issue #14 item 8): the profile is
 * forgotten at once, so the app opens for no one here; the server's session is ended now if
 * the server answers, else at the next start or sign-in page with a connection. The user's
 * database stays, with its unsaved changes, for that user's next sign-in (SPEC §5).
 */
export async function signOutOnDevice(fetcher: typeof fetch = fetch): Promise<{ online: boolean }> {
	forgetProfile();
	if (typeof localStorage !== 'undefined') localStorage.setItem(ENDED, '1');
	return { online: await endServerSession(fetcher) };
}

export function signedOutOffline(): boolean {
	return typeof localStorage !== 'undefined' && localStorage.getItem(ENDED) === '1';
}

/** Ends the session on the server if one was left behind offline; false when it cannot be reached. */
export async function endServerSession(fetcher: typeof fetch = fetch): Promise<boolean> {
	try {
		const res = await fetcher('/logout', { method: 'POST', redirect: 'manual' });
		if (res.type === 'opaqueredirect' || res.ok || (res.status >= 300 && res.status < 500)) {
			if (typeof localStorage !== 'undefined') localStorage.removeItem(ENDED);
			return true;
		}
	} catch {
		// offline: tried again next time
	}
	return false;
}
