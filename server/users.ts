/** Staff accounts: the only place that reads and writes the users table. */
import type { Db } from './db.ts';
import type { Role } from '../src/lib/schema/staff.ts';

export interface User {
	id: string;
	email: string;
	name: string;
	role: Role;
	active: boolean;
	locale: string | null;
	createdAt: number;
}

export interface UserRow {
	id: string;
	email: string;
	name: string;
	role: Role;
	password_hash: string;
	active: 0 | 1;
	locale: string | null;
	created_at: number;
	updated_at: number;
}

export function rowToUser(r: UserRow): User {
	return {
		id: r.id,
		email: r.email,
		name: r.name,
		role: r.role,
		active: r.active === 1,
		locale: r.locale,
		createdAt: r.created_at
	};
}

export class DuplicateEmailError extends Error {
	constructor() {
		super('a user with this e-mail exists');
	}
}

export class UserStore {
	constructor(
		private readonly db: Db,
		private readonly now: () => number = Date.now
	) {}

	count(): number {
		return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
	}

	create(input: { email: string; name: string; role: Role; passwordHash: string }): User {
		const id = crypto.randomUUID();
		const now = this.now();
		try {
			this.db
				.prepare(
					`INSERT INTO users (id, email, name, role, password_hash, active, created_at, updated_at)
					 VALUES (?, ?, ?, ?, ?, 1, ?, ?)`
				)
				.run(id, input.email, input.name, input.role, input.passwordHash, now, now);
		} catch (e) {
			if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateEmailError();
			throw e;
		}
		return this.get(id)!;
	}

	get(id: string): User | null {
		const r = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
		return r ? rowToUser(r) : null;
	}

	/** For sign-in: the row with its password hash, by e-mail (case-insensitive). */
	findForLogin(email: string): { user: User; passwordHash: string } | null {
		const r = this.db.prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined;
		return r ? { user: rowToUser(r), passwordHash: r.password_hash } : null;
	}

	list(): User[] {
		return (this.db.prepare('SELECT * FROM users ORDER BY active DESC, name COLLATE NOCASE').all() as UserRow[]).map(
			rowToUser
		);
	}

	setPassword(id: string, passwordHash: string): boolean {
		return (
			this.db
				.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?')
				.run(passwordHash, this.now(), id).changes === 1
		);
	}

	setActive(id: string, active: boolean): boolean {
		return (
			this.db.prepare('UPDATE users SET active = ?, updated_at = ? WHERE id = ?').run(active ? 1 : 0, this.now(), id)
				.changes === 1
		);
	}

	setLocale(id: string, locale: string): void {
		this.db.prepare('UPDATE users SET locale = ?, updated_at = ? WHERE id = ?').run(locale, this.now(), id);
	}

	countActiveAdmins(): number {
		return (
			this.db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND active = 1").get() as { n: number }
		).n;
	}
}
