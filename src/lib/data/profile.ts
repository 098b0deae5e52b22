/**
 * The signed-in user's profile, kept on the device so the installed app opens with no
 * connection (the server is asked whenever it can be reached).
 */
import type { WorkspaceUser } from './workspace.svelte';

const KEY = 'fieldbook:profile';

export type ProfileResult = { user: WorkspaceUser; online: boolean } | { user: null; online: boolean };

/** The server's word when it answers; the device's copy when the network is down. */
export async function loadProfile(fetcher: typeof fetch = fetch): Promise<ProfileResult> {
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
