/**
 * Rate limits of "Forgot password?", for the portal's contacts and for staff alike (issues #12,
 * #14 item 9): requests per client address (the one limit ever told: "try again in n
 * minutes"), and mails per account — past that the request is answered as always and nothing
 * more is sent, so nobody floods an inbox and the answer never tells whether an account exists.
 */
import { RateLimiter } from './rate-limit.ts';

/** Set-password mails one account can be sent through "forgot password" per window. */
export const FORGOT_MAILS_PER_ACCOUNT = 3;

export class ForgotLimits {
	private readonly perAddress: RateLimiter;
	private readonly perAccount: RateLimiter;

	constructor(
		limits: { loginMaxPerAddress: number; loginWindowMs: number },
		now: () => number = Date.now,
		mailsPerAccount = FORGOT_MAILS_PER_ACCOUNT
	) {
		this.perAddress = new RateLimiter(limits.loginMaxPerAddress, limits.loginWindowMs, now);
		this.perAccount = new RateLimiter(mailsPerAccount, limits.loginWindowMs, now);
	}

	/** Counts a request from `address`: the milliseconds to wait when over the limit (nothing counted), else 0. */
	request(address: string): number {
		const wait = this.perAddress.retryAfter(address);
		if (wait > 0) return wait;
		this.perAddress.hit(address);
		return 0;
	}

	/** Whether one more mail may go to `account` now; counts it when so. */
	mayMail(account: string): boolean {
		if (this.perAccount.retryAfter(account) > 0) return false;
		this.perAccount.hit(account);
		return true;
	}
}
