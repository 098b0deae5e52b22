/**
 * [§1][§2] The customer portal in Chromium (issue #12): a contact signs in on a phone, sees
 * only the modules their permissions allow, in their language, with no sideways scrolling
 * and no serious accessibility violation; the sign-in screen in all five languages.
 * The contact is seeded through the server's own API and feed, as a staff device would.
 */
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { addContact } from '../../src/lib/schema/customer-doc.ts';
import { FeedMsg } from '../../src/lib/schema/protocol.ts';
import { FeedClient } from '../integration/helpers/feed.ts';
import { Client } from '../integration/helpers/http.ts';
import { createCustomer } from '../integration/helpers/records.ts';
import type { TestServer } from '../integration/helpers/server.ts';
import { until } from '../integration/helpers/sync.ts';
import { ADMIN, expect, expectAccessible, expectNoHorizontalScroll, test } from './helpers';

const PHONE = { width: 360, height: 740 };
const PASSWORD = 'portal-password-1';

interface Seeded {
	email: string;
	company: string;
}

/** A company with one contact (invoices and projects allowed, a portal password), made through the API. */
async function seedContact(baseURL: string, language?: string): Promise<Seeded> {
	const suffix = randomBytes(4).toString('hex');
	const server = { url: baseURL, origin: new URL(baseURL).origin } as TestServer;
	const staff = new Client(baseURL);
	expect((await staff.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	const company = `Portal Test ${suffix}`;
	const email = `pia-${suffix}@example.com`;
	const doc = `e2e-portal-${suffix}`;
	const created = await createCustomer(server, staff, doc, { fields: { companyName: company } });
	const local = new Y.Doc();
	Y.applyUpdate(local, created.update);
	const before = Y.encodeStateVector(local);
	addContact(local, {
		id: `pia-${suffix}`,
		fields: { firstName: 'Pia', lastName: 'Portal', email, ...(language ? { language } : {}) },
		authorId: created.authorId,
		now: Date.now(),
		defaultPermissions: { invoices: true, projects: true }
	});
	const feed = await FeedClient.open(server, staff);
	try {
		feed.send({ type: FeedMsg.push, doc, update: Y.encodeStateAsUpdate(local, before) });
		await until(() => feed.of(FeedMsg.ack).length + feed.of(FeedMsg.refused).length > 0, 5000, 'contact stored');
		expect(feed.of(FeedMsg.refused)).toEqual([]);
	} finally {
		feed.close();
	}
	const set = await staff.postJson(`/api/contacts/pia-${suffix}/password`, { password: PASSWORD });
	expect(set.status).toBe(200);
	return { email, company };
}

test.describe('customer portal', () => {
	test.use({ viewport: PHONE });

	test('a contact signs in on a phone and sees only the modules they may open', async ({ page, baseURL }) => {
		const { email, company } = await seedContact(baseURL!);
		await page.goto('/portal/invoices');
		await expect(page).toHaveURL(/\/portal\/login\?redirectTo=/);
		await expect(page.getByRole('heading', { name: 'Sign in to the customer portal' })).toBeVisible();
		await expectNoHorizontalScroll(page);
		await expectAccessible(page, 'portal sign-in (phone)');

		await page.getByLabel('E-mail').fill(email);
		await page.getByLabel('Password').fill('wrong-password');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert')).toHaveText('Incorrect e-mail or password.');
		await expectAccessible(page, 'portal sign-in refused');

		await page.getByLabel('E-mail').fill(email);
		await page.getByLabel('Password').fill(PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		// Back where the contact wanted to go.
		await expect(page).toHaveURL(/\/portal\/invoices$/);
		await expect(page.getByRole('heading', { name: 'Invoices', level: 1 })).toBeVisible();
		await expect(page.getByText('No invoices yet.')).toBeVisible();
		await expectNoHorizontalScroll(page);
		await expectAccessible(page, 'portal invoices (phone)');

		const menu = page.getByRole('navigation', { name: 'Portal menu' });
		await menu.getByRole('link', { name: 'Overview' }).click();
		await expect(page.getByRole('heading', { name: 'Welcome, Pia Portal' })).toBeVisible();
		await expect(page.getByText(`You are signed in as a contact of ${company}.`)).toBeVisible();
		await expect(menu.getByRole('link')).toHaveText(['Overview', 'Invoices', 'Projects']);
		for (const hidden of ['Estimates', 'Contracts', 'Proposals', 'Support']) {
			await expect(page.getByRole('link', { name: hidden })).toHaveCount(0);
		}
		await expectNoHorizontalScroll(page);
		await expectAccessible(page, 'portal home (phone)');

		await page.goto('/portal/estimates');
		await expect(page.getByRole('heading', { name: 'This page does not exist.' })).toBeVisible();
		await expectAccessible(page, 'portal not found');

		await page.getByRole('button', { name: 'Sign out' }).click();
		await expect(page).toHaveURL(/\/portal\/login$/);
		await page.goto('/portal');
		await expect(page).toHaveURL(/\/portal\/login$/);
	});

	test("the portal speaks the contact's language", async ({ page, baseURL }) => {
		const { email } = await seedContact(baseURL!, 'pl');
		await page.goto('/portal/login');
		await page.getByLabel('E-mail').fill(email);
		await page.getByLabel('Password').fill(PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('heading', { name: 'Witaj, Pia Portal' })).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('lang', 'pl');
		await expect(page.getByRole('navigation', { name: 'Menu portalu' }).getByRole('link')).toHaveText([
			'Przegląd',
			'Faktury',
			'Projekty'
		]);
		await expectNoHorizontalScroll(page);
		await expectAccessible(page, 'portal home in Polish');
	});

	const LOGIN_TITLES = {
		en: 'Sign in to the customer portal',
		de: 'Im Kundenportal anmelden',
		fr: 'Se connecter au portail client',
		pl: 'Zaloguj się do portalu klienta',
		pt: 'Entrar no portal do cliente'
	} as const;

	for (const [locale, title] of Object.entries(LOGIN_TITLES)) {
		test(`the sign-in and forgot-password screens in ${locale}`, async ({ newContext }) => {
			const context = await newContext({ locale, viewport: PHONE });
			const page = await context.newPage();
			await page.goto('/portal/login');
			await expect(page.getByRole('heading', { name: title })).toBeVisible();
			await expect(page.locator('html')).toHaveAttribute('lang', locale);
			await expectNoHorizontalScroll(page);
			await expectAccessible(page, `portal sign-in in ${locale}`);
			await page.locator('a[href="/portal/forgot"]').click();
			await expect(page).toHaveURL(/\/portal\/forgot$/);
			await page.getByRole('textbox').fill(`nobody-${locale}@example.com`);
			await page.getByRole('main').getByRole('button').click();
			await expect(page.getByRole('status')).toBeVisible();
			await expectNoHorizontalScroll(page);
			await expectAccessible(page, `portal forgot password in ${locale}`);
		});
	}
});
