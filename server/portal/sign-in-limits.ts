/**
 * Rate limits of portal sign-in, the design of staff sign-in (server/auth.ts, issue #9) with
 * counters of its own: failures per account AND address (guessing from one address stops
 * there; the contact's own address is not affected), every attempt per address, and an
 * account guessed at from many addresses slowed down for everyone — never refused, so no one
 * locks a contact out of the portal by guessing at their address.
 */
import { RateLimiter } from '../rate-limit.ts';

export interface SignInLimitsConfig {
	/** Failed sign-ins per account from one address per window; over it that address waits. */
	loginMaxPerAccount: number;
	/** Attempts (any account) per address per window. */
	loginMaxPerAddress: number;
	loginWindowMs: number;
	/** Failures of one account from all addresses per window after which attempts are slowed. */
	loginSlowdownAfter?: number;
	loginSlowdownMs?: number;
}

export class SignInLimits {
	private readonly perAccount: RateLimiter;
	private readonly perAddress: RateLimiter;
	private readonly accountWide: RateLimiter;
	private readonly slowdownMs: number;

	constructor(limits: SignInLimitsConfig, now: () => number = Date.now) {
		this.perAccount = new RateLimiter(limits.loginMaxPerAccount, limits.loginWindowMs, now);
		this.perAddress = new RateLimiter(limits.loginMaxPerAddress, limits.loginWindowMs, now);
		this.accountWide = new RateLimiter(limits.loginSlowdownAfter ?? 20, limits.loginWindowMs, now);
		this.slowdownMs = limits.loginSlowdownMs ?? 1000;
	}

	/**
	 * Counts one attempt: the milliseconds to wait when refused (nothing counted then), else 0
	 * after the account-wide slowdown, when it applies, has been waited out.
	 */
	async attempt(account: string, address: string): Promise<number> {
		const wait = Math.max(this.perAccount.retryAfter(pair(account, address)), this.perAddress.retryAfter(address));
		if (wait > 0) return wait;
		this.perAddress.hit(address);
		if (this.accountWide.retryAfter(account) > 0 && this.slowdownMs > 0) {
			await new Promise((resolve) => setTimeout(resolve, this.slowdownMs));
		}
		return 0;
	}

	failed(account: string, address: string): void {
		this.perAccount.hit(pair(account, address));
		this.accountWide.hit(account);
	}

	succeeded(account: string, address: string): void {
		this.perAccount.reset(pair(account, address));
	}
}

const pair = (account: string, address: string) => `${account}\n${address}`;
