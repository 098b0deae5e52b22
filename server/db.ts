/**
 * SQLite through better-sqlite3: WAL, foreign keys, busy timeout, and numbered SQL
 * migrations applied at start. A migration that has landed is never edited: its SHA-256
 * is recorded when applied and start-up stops if the file changes afterwards.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Db = Database.Database;

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
	version: number;
	name: string;
	sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql'));
	const migrations = files.map((file) => {
		const m = /^(\d{3})_[a-z0-9_]+\.sql$/.exec(file);
		if (!m) throw new Error(`migration file name must look like 001_name.sql: ${file}`);
		return { version: Number(m[1]), name: file, sql: fs.readFileSync(path.join(dir, file), 'utf8') };
	});
	migrations.sort((a, b) => a.version - b.version);
	migrations.forEach((m, i) => {
		if (m.version !== i + 1) throw new Error(`migrations must be numbered 001, 002, … without gaps: ${m.name}`);
	});
	return migrations;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function migrate(db: Db, migrations: Migration[] = readMigrations()): number {
	db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
	const applied = new Map(
		db
			.prepare('SELECT version, name, sha256 FROM schema_migrations')
			.all()
			.map((r) => {
				const row = r as { version: number; name: string; sha256: string };
				return [row.version, row] as const;
			})
	);
	let count = 0;
	for (const m of migrations) {
		const done = applied.get(m.version);
		if (done) {
			if (done.sha256 !== sha256(m.sql)) {
				throw new Error(`migration ${m.name} was changed after it was applied; add a new migration instead`);
			}
			continue;
		}
		db.transaction(() => {
			db.exec(m.sql);
			db.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)').run(
				m.version,
				m.name,
				sha256(m.sql),
				Date.now()
			);
		})();
		count++;
	}
	const newest = Math.max(0, ...migrations.map((m) => m.version));
	for (const v of applied.keys()) {
		if (v > newest) throw new Error(`the database has migration ${v}, newer than this build knows; refusing to start`);
	}
	return count;
}

export function openDatabase(file: string): Db {
	if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
	const db = new Database(file);
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = NORMAL');
	db.pragma('foreign_keys = ON');
	db.pragma('busy_timeout = 5000');
	migrate(db);
	return db;
}
