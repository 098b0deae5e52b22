/**
 * Test data for the portal's unit tests: a database in a temp dir with customers, contacts
 * and portal passwords written straight into the projection, as a commit would leave them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emailKey } from '../../src/lib/schema/records.ts';
import { openDatabase, type Db } from '../db.ts';
import { hashPassword } from '../password.ts';

export interface PortalFixture {
	db: Db;
	close(): void;
	customer(id: string, name?: string | null, deletedAt?: number | null): void;
	contact(
		id: string,
		customerId: string,
		email: string | null,
		extra?: Partial<Record<'first_name' | 'last_name' | 'language' | 'duplicate_email' | 'deleted_at', unknown>> &
			Partial<Record<`perm_${string}`, 0 | 1 | null>>
	): void;
	update(table: 'contacts' | 'customers', id: string, set: Record<string, unknown>): void;
	password(contactId: string, password: string, at: number): Promise<void>;
}

const hashes = new Map<string, string>();

export function portalFixture(): PortalFixture {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-portal-'));
	const db = openDatabase(path.join(dir, 'fieldbook.sqlite'));
	return {
		db,
		close() {
			db.close();
			fs.rmSync(dir, { recursive: true, force: true });
		},
		customer(id, name = `Customer ${id}`, deletedAt = null) {
			db.prepare('INSERT INTO customers (id, kind, company_name, deleted_at) VALUES (?, ?, ?, ?)').run(
				id,
				name === null ? 'person' : 'company',
				name,
				deletedAt
			);
		},
		contact(id, customerId, email, extra = {}) {
			const row: Record<string, unknown> = {
				id,
				customer_id: customerId,
				first_name: 'Ann',
				last_name: 'Lee',
				email,
				email_key: emailKey(email),
				is_primary: 0,
				...extra
			};
			const cols = Object.keys(row);
			db.prepare(`INSERT INTO contacts (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
				...Object.values(row)
			);
		},
		update(table, id, set) {
			const cols = Object.keys(set);
			db.prepare(`UPDATE ${table} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(
				...Object.values(set),
				id
			);
		},
		async password(contactId, password, at) {
			// argon2id is slow on purpose; tests reuse one hash per password.
			const hash = hashes.get(password) ?? (await hashPassword(password));
			hashes.set(password, hash);
			db.prepare(
				`INSERT INTO contact_credentials (contact_id, password_hash, updated_at) VALUES (?, ?, ?)
				 ON CONFLICT (contact_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`
			).run(contactId, hash, at);
		}
	};
}
