import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

type Messages = Record<string, string>;

function load(locale: string): Messages {
	const json = JSON.parse(fs.readFileSync(new URL(`../../messages/${locale}.json`, import.meta.url), 'utf8')) as Record<
		string,
		unknown
	>;
	delete json.$schema;
	return json as Messages;
}

const en = load('en');
const TRANSLATIONS = ['de', 'fr', 'pl', 'pt'];

/** Placeholders such as {name} or {minutes}. */
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
	it('English has messages, each a non-empty string', () => {
		expect(Object.keys(en).length).toBeGreaterThan(0);
		for (const [key, value] of Object.entries(en)) expect(typeof value === 'string' && value.trim(), key).toBeTruthy();
	});

	describe.each(TRANSLATIONS)('[§1] %s', (locale) => {
		const messages = load(locale);

		it('has every English key, each non-empty', () => {
			const missing = Object.keys(en).filter((k) => typeof messages[k] !== 'string' || messages[k].trim() === '');
			expect(missing).toEqual([]);
		});

		it('has no keys that English lacks', () => {
			expect(Object.keys(messages).filter((k) => !(k in en))).toEqual([]);
		});

		it('keeps every placeholder of the English text, and adds none', () => {
			const wrong = Object.keys(en)
				.filter((k) => typeof messages[k] === 'string')
				.filter((k) => placeholders(messages[k]).join() !== placeholders(en[k]).join())
				.map((k) => `${k}: ${messages[k]}`);
			expect(wrong).toEqual([]);
		});
	});
});
