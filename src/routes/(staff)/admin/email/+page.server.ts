import { error, fail } from '@sveltejs/kit';
import { FIELDS_OF, isMailKind, isMailLocale, MAIL_KINDS, MAIL_LOCALES, MAX_SIGNATURE } from '$lib/schema/mail/kinds';
import { checkTemplate } from '$lib/schema/mail/render';
import { readFormOrNull } from '$lib/server/form';
import { getContext } from '$server/context';
import { OUTBOX_STATUSES, parseFilter } from '$server/mail/outbox-admin';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * Settings → E-mail (SPEC §3.5, issue #11): the outbox (queued, sending, sent, failed, skipped
 * with attempts, last error, next attempt), the preview of a mail as it leaves, retry, and the
 * templates. Admins only: the load and every action check the role on the server.
 */
function requireAdmin(locals: App.Locals) {
	if (locals.user?.role !== 'admin') error(403, 'Only admins can see the outbox');
	return locals.user;
}

const rowId = (v: unknown): number | null => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : null);

export const load: PageServerLoad = ({ locals, url }) => {
	requireAdmin(locals);
	const { mail } = getContext();
	const filter = parseFilter(url.searchParams);
	const page = mail.outbox.list(filter);
	const previewId = rowId(url.searchParams.get('preview'));
	const previewRow = previewId === null ? null : mail.outbox.get(previewId);
	const editKind = url.searchParams.get('kind');
	const editLocale = url.searchParams.get('locale');
	const edit =
		url.searchParams.get('edit') !== null && isMailKind(editKind) && isMailLocale(editLocale)
			? {
					kind: editKind,
					locale: editLocale,
					fields: FIELDS_OF[editKind],
					...mail.templates.template(editKind, editLocale)
				}
			: null;
	return {
		delivering: mail.delivering,
		counts: mail.outbox.counts(),
		statuses: OUTBOX_STATUSES,
		filter,
		rows: page.rows,
		next: page.next,
		preview: previewRow ? { row: previewRow, ...mail.preview(previewRow) } : null,
		kinds: mail.templates.kinds(),
		locales: MAIL_LOCALES,
		allKinds: MAIL_KINDS,
		signature: mail.templates.signature(),
		defaultLanguage: mail.templates.defaultLanguage(),
		edit
	};
};

/** The posted form, or null for a body that is not one (never a 500). */
async function input(event: RequestEvent): Promise<Record<string, unknown> | null> {
	requireAdmin(event.locals);
	return readFormOrNull(event.request);
}

export const actions: Actions = {
	retry: async (event) => {
		const body = await input(event);
		const id = rowId(body?.id);
		if (id === null) return fail(400, { action: 'retry' as const, error: 'invalid' as const });
		const { mail } = getContext();
		if (!mail.outbox.retry(id)) return fail(409, { action: 'retry' as const, error: 'not_retryable' as const });
		mail.kick();
		return { action: 'retry' as const, done: id };
	},

	toggle: async (event) => {
		const me = requireAdmin(event.locals);
		const body = await input(event);
		if (!body || !isMailKind(body.kind) || (body.enabled !== 'true' && body.enabled !== 'false')) {
			return fail(400, { action: 'toggle' as const, error: 'invalid' as const });
		}
		getContext().mail.templates.setEnabled(body.kind, body.enabled === 'true', me.id);
		return { action: 'toggle' as const, done: body.kind };
	},

	settings: async (event) => {
		const body = await input(event);
		const signature = body?.signature;
		const language = body?.defaultLanguage;
		if (typeof signature !== 'string' || signature.length > MAX_SIGNATURE || !isMailLocale(language)) {
			return fail(400, { action: 'settings' as const, error: 'invalid' as const });
		}
		const { templates } = getContext().mail;
		templates.setSignature(signature);
		templates.setDefaultLanguage(language);
		return { action: 'settings' as const, done: true };
	},

	template: async (event) => {
		const me = requireAdmin(event.locals);
		const body = await input(event);
		if (!body || !isMailKind(body.kind) || !isMailLocale(body.locale)) {
			return fail(400, { action: 'template' as const, error: 'invalid' as const });
		}
		const { templates } = getContext().mail;
		if (body.reset === 'true') {
			templates.setTemplate(body.kind, body.locale, null, me.id);
			return { action: 'template' as const, done: true };
		}
		if (typeof body.subject !== 'string' || typeof body.body !== 'string') {
			return fail(400, { action: 'template' as const, error: 'invalid' as const });
		}
		const template = { subject: body.subject, body: body.body };
		const problem = checkTemplate(body.kind, template);
		if (problem) return fail(400, { action: 'template' as const, error: problem });
		templates.setTemplate(body.kind, body.locale, template, me.id);
		return { action: 'template' as const, done: true };
	}
};
