/**
 * Prepared statements by SQL text, per database: the module steps run inside every commit that
 * touches a module record, and preparing a statement costs more than running it.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.ts';

const cache = new WeakMap<Db, Map<string, Statement<unknown[]>>>();

export function stmt(db: Db, sql: string): Statement<unknown[]> {
	let m = cache.get(db);
	if (!m) cache.set(db, (m = new Map()));
	let s = m.get(sql);
	if (!s) m.set(sql, (s = db.prepare(sql)));
	return s;
}
