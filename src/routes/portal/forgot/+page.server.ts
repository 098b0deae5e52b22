import { forgotAction } from '$lib/server/forgot';
import { getContext } from '$server/context';
import type { Actions } from './$types';

export const actions: Actions = {
	/**
	 * "Forgot password?" (issue #12): a set-password link (48 h, one use; issue #11) to the
	 * contact that signs in with the address. The answer is the same whether or not one was
	 * sent; only an address over the request limit is told to wait.
	 */
	default: (event) => forgotAction(event, (address, client) => getContext().portal.requestReset(address, client))
};
