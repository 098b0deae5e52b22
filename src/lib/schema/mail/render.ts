/**
 * Rendering a mail from a template (SPEC §3.4): subject, plain text and HTML from one text.
 * - Every merge value is HTML-escaped in the HTML part; template text is escaped too, so an
 *   admin's `<` shows as `<` (templates are text, not markup).
 * - Nothing that reaches a header carries CR, LF or another control character (header
 *   injection, CWE-93): the subject and display names go through headerText().
 * - A link field becomes an <a> only when it is an http(s) URL.
 */
import {
	FIELDS_OF,
	MAX_BODY,
	MAX_SUBJECT,
	MERGE_FIELDS,
	URL_FIELDS,
	type MailKind,
	type MergeField,
	type MergeValues
} from './kinds.ts';
import type { MailTemplate } from './defaults.ts';

export interface RenderedMail {
	subject: string;
	text: string;
	html: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/**
 * Text safe for a header: C0/C1 controls, DEL and the Unicode line and paragraph separators
 * become spaces, runs of white space one space; cut to `max` characters (RFC 5322 §2.1.1).
 */
export function headerText(value: string, max = 200): string {
	// eslint-disable-next-line no-control-regex
	const flat = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\s+/g, ' ');
	return flat.trim().slice(0, max).trim();
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

const isMergeField = (v: string): v is MergeField => (MERGE_FIELDS as readonly string[]).includes(v);

function isHttpUrl(v: string): boolean {
	try {
		const u = new URL(v);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

/** The merge fields a template uses that its kind does not offer (refused on save). */
export function unknownFields(kind: MailKind, template: MailTemplate): string[] {
	const allowed = new Set<string>(FIELDS_OF[kind]);
	const bad = new Set<string>();
	for (const source of [template.subject, template.body]) {
		for (const m of source.matchAll(PLACEHOLDER)) if (!allowed.has(m[1])) bad.add(m[1]);
	}
	return [...bad];
}

export type TemplateError =
	'subject_required' | 'subject_too_long' | 'body_required' | 'body_too_long' | 'unknown_field';

/** Checks an admin's template before it is stored. */
export function checkTemplate(kind: MailKind, template: MailTemplate): TemplateError | null {
	if (headerText(template.subject, MAX_SUBJECT + 1) === '') return 'subject_required';
	if (template.subject.length > MAX_SUBJECT) return 'subject_too_long';
	if (template.body.trim() === '') return 'body_required';
	if (template.body.length > MAX_BODY) return 'body_too_long';
	return unknownFields(kind, template).length ? 'unknown_field' : null;
}

/** Splits a template into literal text and merge fields. */
function parts(source: string): ({ text: string } | { field: MergeField | null; raw: string })[] {
	const out: ({ text: string } | { field: MergeField | null; raw: string })[] = [];
	let last = 0;
	for (const m of source.matchAll(PLACEHOLDER)) {
		if (m.index > last) out.push({ text: source.slice(last, m.index) });
		out.push({ field: isMergeField(m[1]) ? m[1] : null, raw: m[0] });
		last = m.index + m[0].length;
	}
	if (last < source.length) out.push({ text: source.slice(last) });
	return out;
}

function mergeText(source: string, values: MergeValues): string {
	return parts(source)
		.map((p) => ('text' in p ? p.text : p.field ? (values[p.field] ?? '') : p.raw))
		.join('');
}

function mergeHtml(source: string, values: MergeValues): string {
	return parts(source)
		.map((p) => {
			if ('text' in p) return escapeHtml(p.text);
			if (!p.field) return escapeHtml(p.raw);
			const v = values[p.field] ?? '';
			if (URL_FIELDS.has(p.field) && isHttpUrl(v)) return `<a href="${escapeHtml(v)}">${escapeHtml(v)}</a>`;
			return escapeHtml(v);
		})
		.join('');
}

const normaliseNewlines = (s: string) => s.replace(/\r\n?/g, '\n');

/** Paragraphs (blank-line separated) become <p>, single line breaks <br>. */
function paragraphsHtml(html: string): string {
	return html
		.split(/\n{2,}/)
		.map((p) => p.trim())
		.filter((p) => p !== '')
		.map((p) => `<p>${p.replace(/\n/g, '<br>\n')}</p>`)
		.join('\n');
}

/**
 * Renders a template with merge values and the general signature. Values are the raw data
 * (names as typed): escaping and header safety are applied here, in one place.
 */
export function renderMail(template: MailTemplate, values: MergeValues, signature = '', lang = 'en'): RenderedMail {
	// Merge values go into the body as text: their own line breaks must not open paragraphs or
	// forge a signature separator, so they are flattened like header text.
	const flat: MergeValues = {};
	for (const [k, v] of Object.entries(values)) flat[k as MergeField] = headerText(v ?? '', 2000);
	const body = normaliseNewlines(template.body).trim();
	const sig = normaliseNewlines(signature).trim();
	const subject = headerText(mergeText(template.subject, flat), MAX_SUBJECT);
	const text = mergeText(body, flat) + (sig ? `\n\n-- \n${sig}` : '') + '\n';
	const sigHtml = sig ? `\n<p class="signature">${escapeHtml(sig).replace(/\n/g, '<br>\n')}</p>` : '';
	const html =
		`<!doctype html>\n<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n` +
		`<body>\n${paragraphsHtml(mergeHtml(body, flat))}${sigHtml}\n</body></html>\n`;
	return { subject, text, html };
}
