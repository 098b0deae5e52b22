import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, migrate, type Migration, openDatabase, readMigrations } from './db.ts';

let dir: string;
const open: Db[] = [];

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-db-'));
});

afterEach(() => {
	for (const db of open.splice(0)) db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

function openAt(file: string): Db {
	const db = openDatabase(file);
	open.push(db);
	return db;
}

/** A database file that no migration has touched yet. */
function fresh(): Db {
	const db = new Database(path.join(dir, `fresh-${open.length}.db`));
	open.push(db);
	return db;
}

function writeMigrations(files: Record<string, string>): string {
	const migrations = path.join(dir, 'migrations');
	fs.mkdirSync(migrations);
	for (const [name, sql] of Object.entries(files)) fs.writeFileSync(path.join(migrations, name), sql);
	return migrations;
}

const m1: Migration = { version: 1, name: '001_a.sql', sql: 'CREATE TABLE a (x INTEGER);' };
const m2: Migration = { version: 2, name: '002_b.sql', sql: 'CREATE TABLE b (y INTEGER);' };

describe('openDatabase', () => {
	it('uses WAL, enforces foreign keys and waits 5 s on a busy database', () => {
		const db = openAt(path.join(dir, 'fieldbook.db'));
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
		expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
	});

	it('creates a missing data directory and applies the shipped migrations', () => {
		const db = openAt(path.join(dir, 'nested', 'deeper', 'fieldbook.db'));
		const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
			(t) => t.name
		);
		expect(tables).toEqual(expect.arrayContaining(['users', 'sessions', 'setup_tokens', 'schema_migrations']));
	});

	it('a session cannot point at a user that does not exist (foreign keys on)', () => {
		const db = openAt(path.join(dir, 'fieldbook.db'));
		expect(() =>
			db
				.prepare('INSERT INTO sessions (id, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)')
				.run('s', 'nobody', 1, 1)
		).toThrow(/FOREIGN KEY/);
	});

	it('opening an existing database again applies nothing new and keeps its data', () => {
		const file = path.join(dir, 'fieldbook.db');
		const first = openAt(file);
		first.prepare('INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)').run('h', 1);
		first.close();
		const again = openAt(file);
		expect(migrate(again)).toBe(0);
		expect(again.prepare('SELECT count(*) AS n FROM setup_tokens').get()).toEqual({ n: 1 });
	});
});

describe('migrate', () => {
	it('applies each migration once: the second run applies none', () => {
		const db = fresh();
		expect(migrate(db, [m1, m2])).toBe(2);
		expect(migrate(db, [m1, m2])).toBe(0);
		expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([
			{ version: 1, name: '001_a.sql' },
			{ version: 2, name: '002_b.sql' }
		]);
	});

	it('a later build applies only the migrations that are new to the database', () => {
		const db = fresh();
		expect(migrate(db, [m1])).toBe(1);
		expect(migrate(db, [m1, m2])).toBe(1);
		expect(db.prepare("SELECT name FROM sqlite_master WHERE name IN ('a', 'b') ORDER BY name").all()).toEqual([
			{ name: 'a' },
			{ name: 'b' }
		]);
	});

	it('the shipped migrations apply to an empty database', () => {
		expect(migrate(fresh())).toBe(readMigrations().length);
	});

	it('refuses to start when an applied migration file was edited afterwards', () => {
		const migrations = writeMigrations({ '001_first.sql': m1.sql, '002_second.sql': m2.sql });
		const db = fresh();
		migrate(db, readMigrations(migrations));
		fs.writeFileSync(path.join(migrations, '001_first.sql'), m1.sql + '\n-- tidied up later');
		expect(() => migrate(db, readMigrations(migrations))).toThrow(/001_first\.sql was changed after it was applied/);
	});

	it('refuses a database that has a newer migration than this build knows', () => {
		const db = fresh();
		migrate(db, [m1, m2]);
		expect(() => migrate(db, [m1])).toThrow(/migration 2, newer than this build knows/);
	});

	it('a failing migration leaves nothing of itself behind and is not recorded', () => {
		const db = fresh();
		const broken: Migration = {
			version: 1,
			name: '001_broken.sql',
			sql: 'CREATE TABLE half (x INTEGER); INSERT INTO no_such_table VALUES (1);'
		};
		expect(() => migrate(db, [broken])).toThrow(/no such table/);
		expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
		expect(migrate(db, [{ ...broken, sql: 'CREATE TABLE half (x INTEGER);' }])).toBe(1);
	});
});

describe('readMigrations', () => {
	it('the shipped migrations are numbered from 001 without gaps', () => {
		const shipped = readMigrations();
		expect(shipped.length).toBeGreaterThan(0);
		expect(shipped.map((m) => m.version)).toEqual(shipped.map((_, i) => i + 1));
	});

	it('reads .sql files in numeric order and ignores other files', () => {
		const migrations = writeMigrations({
			'002_second.sql': m2.sql,
			'001_first.sql': m1.sql,
			'README.md': 'not a migration'
		});
		expect(readMigrations(migrations)).toEqual([
			{ version: 1, name: '001_first.sql', sql: m1.sql },
			{ version: 2, name: '002_second.sql', sql: m2.sql }
		]);
	});

	it('refuses a gap in the numbering', () => {
		const migrations = writeMigrations({ '001_first.sql': m1.sql, '003_third.sql': m2.sql });
		expect(() => readMigrations(migrations)).toThrow(/without gaps: 003_third\.sql/);
	});

	it('refuses two migrations with the same number', () => {
		const migrations = writeMigrations({ '001_first.sql': m1.sql, '001_again.sql': m2.sql });
		expect(() => readMigrations(migrations)).toThrow(/without gaps/);
	});

	it('refuses numbering that does not start at 001', () => {
		const migrations = writeMigrations({ '002_second.sql': m2.sql });
		expect(() => readMigrations(migrations)).toThrow(/without gaps/);
	});

	it.each(['1_first.sql', '001-first.sql', '001_First.sql', '001_.sql', '0001_first.sql'])(
		'refuses the badly named file %s',
		(name) => {
			const migrations = writeMigrations({ [name]: m1.sql });
			expect(() => readMigrations(migrations)).toThrow(/must look like 001_name\.sql/);
		}
	);

	it('a set read from disk applies to a fresh database once', () => {
		const migrations = writeMigrations({ '001_first.sql': m1.sql, '002_second.sql': m2.sql });
		const db = fresh();
		expect(migrate(db, readMigrations(migrations))).toBe(2);
		expect(migrate(db, readMigrations(migrations))).toBe(0);
	});
});
