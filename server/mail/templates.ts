/**
 * Stored template settings (migration 009): admin overrides of the built-in templates
 * (src/lib/schema/mail/defaults.ts), which kinds are enabled, the general signature and the
 * installation's default language. Read at send time, so a change applies to mail still queued.
 */
import { DEFAULT_TEMPLATES, type MailTemplate } from '../../src/lib/schema/mail/defaults.ts';
import { isMailLocale, MAIL_KINDS, type MailKind, type MailLocale } from '../../src/lib/schema/mail/kinds.ts';
import type { Db } from '../db.ts';

export interface TemplateView extends MailTemplate {
	/** An admin's version, not the built-in one. */
	custom: boolean;
}

export class MailTemplates {
	constructor(private readonly db: Db) {}

	template(kind: MailKind, locale: MailLocale): TemplateView {
		const row = this.db
			.prepare('SELECT subject, body FROM mail_templates WHERE kind = ? AND locale = ?')
			.get(kind, locale) as MailTemplate | undefined;
		return row ? { ...row, custom: true } : { ...DEFAULT_TEMPLATES[kind][locale], custom: false };
	}

	/** Stores an admin's version (checked by the caller with checkTemplate); null restores the built-in one. */
	setTemplate(kind: MailKind, locale: MailLocale, template: MailTemplate | null, by: string, now = Date.now()): void {
		if (!template) {
			this.db.prepare('DELETE FROM mail_templates WHERE kind = ? AND locale = ?').run(kind, locale);
			return;
		}
		this.db
			.prepare(
				`INSERT INTO mail_templates (kind, locale, subject, body, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
				 ON CONFLICT (kind, locale) DO UPDATE SET subject = excluded.subject, body = excluded.body,
				 updated_by = excluded.updated_by, updated_at = excluded.updated_at`
			)
			.run(kind, locale, template.subject, template.body, by, now);
	}

	enabled(kind: MailKind): boolean {
		const v = this.db.prepare('SELECT enabled FROM mail_kinds WHERE kind = ?').pluck().get(kind) as number | undefined;
		return v !== 0;
	}

	/** Every kind with whether it is enabled, in the order of MAIL_KINDS. */
	kinds(): { kind: MailKind; enabled: boolean }[] {
		const off = new Set(this.db.prepare('SELECT kind FROM mail_kinds WHERE enabled = 0').pluck().all() as string[]);
		return MAIL_KINDS.map((kind) => ({ kind, enabled: !off.has(kind) }));
	}

	setEnabled(kind: MailKind, enabled: boolean, by: string, now = Date.now()): void {
		this.db
			.prepare(
				`INSERT INTO mail_kinds (kind, enabled, updated_by, updated_at) VALUES (?, ?, ?, ?)
				 ON CONFLICT (kind) DO UPDATE SET enabled = excluded.enabled, updated_by = excluded.updated_by,
				 updated_at = excluded.updated_at`
			)
			.run(kind, enabled ? 1 : 0, by, now);
	}

	private setting(key: string): string | null {
		return (
			(this.db.prepare('SELECT value FROM mail_settings WHERE key = ?').pluck().get(key) as string | undefined) ?? null
		);
	}

	private setSetting(key: string, value: string): void {
		this.db
			.prepare(
				'INSERT INTO mail_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'
			)
			.run(key, value);
	}

	signature(): string {
		return this.setting('signature') ?? '';
	}

	setSignature(text: string): void {
		this.setSetting('signature', text);
	}

	/** The installation's language: for contacts and staff who have none of their own. */
	defaultLanguage(): MailLocale {
		const v = this.setting('default_language');
		return isMailLocale(v) ? v : 'en';
	}

	setDefaultLanguage(locale: MailLocale): void {
		this.setSetting('default_language', locale);
	}
}
