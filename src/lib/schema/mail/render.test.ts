import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from './defaults.ts';
import { FIELDS_OF, MAIL_KINDS, MAIL_LOCALES } from './kinds.ts';
import { checkTemplate, escapeHtml, headerText, renderMail, unknownFields } from './render.ts';

describe('[§3.4] mail templates', () => {
	it('every kind has a built-in template in every language, using only its own merge fields', () => {
		for (const kind of MAIL_KINDS) {
			for (const locale of MAIL_LOCALES) {
				const t = DEFAULT_TEMPLATES[kind][locale];
				expect(checkTemplate(kind, t), `${kind}/${locale}`).toBeNull();
			}
		}
		expect(FIELDS_OF.set_password).toContain('setPasswordLink');
	});

	it('merges values into subject, text and HTML', () => {
		const r = renderMail(
			{ subject: 'Hi {{contactFirstName}}', body: 'Hello {{contactName}},\n\nsee {{portalUrl}}' },
			{ contactFirstName: 'Ann', contactName: 'Ann Lee', portalUrl: 'https://crm.example.com/portal' },
			'Best,\nACME'
		);
		expect(r.subject).toBe('Hi Ann');
		expect(r.text).toBe('Hello Ann Lee,\n\nsee https://crm.example.com/portal\n\n-- \nBest,\nACME\n');
		expect(r.html).toContain('<p>Hello Ann Lee,</p>');
		expect(r.html).toContain('<a href="https://crm.example.com/portal">https://crm.example.com/portal</a>');
		expect(r.html).toContain('<p class="signature">Best,<br>\nACME</p>');
	});

	it('escapes every merge value and the template text in the HTML part', () => {
		const r = renderMail(
			{ subject: '{{customerName}}', body: '<b>{{contactName}}</b> {{customerName}} {{portalUrl}}' },
			{
				contactName: '<script>alert(1)</script>',
				customerName: 'Tom & "Jerry\'s"',
				portalUrl: 'javascript:alert(1)'
			}
		);
		expect(r.html).not.toContain('<script>');
		expect(r.html).not.toContain('<b>');
		expect(r.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(r.html).toContain('Tom &amp; &quot;Jerry&#39;s&quot;');
		expect(r.html).not.toContain('href="javascript');
		expect(r.subject).toBe('Tom & "Jerry\'s"');
	});

	it('CR/LF in a name never reaches a header, nor opens a paragraph in the body', () => {
		const evil = 'Eve\r\nBcc: victim@example.com\r\n\r\nbody';
		const r = renderMail({ subject: 'Hi {{contactName}}', body: 'Dear {{contactName}}' }, { contactName: evil });
		expect(r.subject).toBe('Hi Eve Bcc: victim@example.com body');
		expect(r.subject).not.toMatch(/[\r\n]/);
		expect(r.text).toBe('Dear Eve Bcc: victim@example.com body\n');
		expect(headerText('a\u2028b\u0085c\td')).toBe('a b c d');
		expect(headerText('x'.repeat(300), 10)).toBe('x'.repeat(10));
	});

	it('refuses a template with an unknown field, an empty subject or body', () => {
		expect(unknownFields('manager_assigned', { subject: '{{setPasswordLink}}', body: '{{nope}}' })).toEqual([
			'setPasswordLink',
			'nope'
		]);
		// The welcome carries the contact's first set-password link.
		expect(unknownFields('welcome', { subject: 'x', body: '{{setPasswordLink}}' })).toEqual([]);
		expect(checkTemplate('welcome', { subject: '\r\n', body: 'x' })).toBe('subject_required');
		expect(checkTemplate('welcome', { subject: 'x', body: '  ' })).toBe('body_required');
		expect(checkTemplate('welcome', { subject: 'x'.repeat(201), body: 'x' })).toBe('subject_too_long');
	});

	it('escapeHtml covers the five characters', () => {
		expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
	});
});
