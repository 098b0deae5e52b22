import { describe, expect, it } from 'vitest';
import { formToObject, readForm, readFormOrNull, readJson, safeRedirect } from './form.ts';

function form(entries: [string, string][]): FormData {
	const data = new FormData();
	for (const [k, v] of entries) data.append(k, v);
	return data;
}

describe('formToObject', () => {
	it('a field sent once becomes its string', () => {
		expect(
			formToObject(
				form([
					['email', 'a@b.co'],
					['password', 'pw']
				])
			)
		).toEqual({
			email: 'a@b.co',
			password: 'pw'
		});
	});

	it('a field sent several times becomes an array, so a second value cannot slip past validation', () => {
		expect(
			formToObject(
				form([
					['email', 'a@b.co'],
					['email', 'eve@b.co'],
					['name', 'Ana']
				])
			)
		).toEqual({
			email: ['a@b.co', 'eve@b.co'],
			name: 'Ana'
		});
	});

	it('an empty field stays an empty string; an empty form gives an empty object', () => {
		expect(formToObject(form([['name', '']]))).toEqual({ name: '' });
		expect(formToObject(new FormData())).toEqual({});
	});
});

describe('safeRedirect', () => {
	it.each(['/', '/admin/staff?x=1', '/customers/123#contacts'])('keeps the same-origin path %s', (target) => {
		expect(safeRedirect(target)).toBe(target);
	});

	it.each([
		['a protocol-relative URL', '//evil.com'],
		['an absolute URL', 'https://evil.com'],
		['a backslash path browsers read as //', '/\\evil'],
		['a javascript: URL', 'javascript:alert(1)'],
		['a relative path', 'admin'],
		['a tab browsers drop, leaving //evil.com', '/\t/evil.com'],
		['a newline browsers drop, leaving //evil.com', '/\n/evil.com'],
		['an empty string', '']
	])('refuses %s and goes to the fallback', (_what, target) => {
		expect(safeRedirect(target)).toBe('/');
		expect(safeRedirect(target, '/login')).toBe('/login');
	});

	it.each([null, undefined, 42, ['/admin'], { href: '/admin' }])('refuses the non-string %j', (target) => {
		expect(safeRedirect(target)).toBe('/');
	});
});

describe('reading a body over the size limit (issue #14 item 10)', () => {
	/** What adapter-node hands over when a body passes BODY_SIZE_LIMIT: a stream that errors with a 413. */
	const oversized = (type: string) =>
		new Request('http://x.test/', {
			method: 'POST',
			headers: { 'content-type': type },
			body: new ReadableStream({
				start(c) {
					c.error(Object.assign(new Error('Payload Too Large'), { status: 413 }));
				}
			}),
			duplex: 'half'
		} as RequestInit);
	const broken = (type: string, body: string) =>
		new Request('http://x.test/', { method: 'POST', headers: { 'content-type': type }, body });

	it('is a 413 for forms and JSON alike, never the 400 of a body that is not one', async () => {
		await expect(readForm(oversized('application/x-www-form-urlencoded'))).rejects.toMatchObject({ status: 413 });
		await expect(readFormOrNull(oversized('multipart/form-data; boundary=x'))).rejects.toMatchObject({ status: 413 });
		await expect(readJson(oversized('application/json'))).rejects.toMatchObject({ status: 413 });
		await expect(readForm(broken('text/plain', 'x'))).rejects.toMatchObject({ status: 400 });
		expect(await readFormOrNull(broken('text/plain', 'x'))).toBeNull();
		expect(await readJson(broken('application/json', '{nope'))).toBeUndefined();
		expect(await readJson(broken('application/json', 'null'))).toBeNull();
	});
});
