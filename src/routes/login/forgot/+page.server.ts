import { forgotAction } from '$lib/server/forgot';
import { getContext } from '$server/context';
import type { Actions } from './$types';

export const actions: Actions = {
	/**
	 * "Forgot password?" for staff (issue #14 item 9): a set-password link (48 h, one use) to
	 * the active staff account that signs in with the address. The answer is the same for a
	 * known, unknown or deactivated address; only an address over the request limit is told to wait.
	 */
	default: (event) =>
		forgotAction(event, (address, client) => {
			const { auth, mail } = getContext();
			const result = auth.reset.request(address, client);
			if (result.ok && result.queued) mail.kick();
			return result;
		})
};
