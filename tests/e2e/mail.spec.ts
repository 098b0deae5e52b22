/**
 * [§2][§5] E-mail that leaves exactly once, seen at a real SMTP peer (the smtp-server
 * package on loopback, where the e2e server's SMTP_URL points): a contact added offline with
 * "Do not send welcome e-mail" unticked gets exactly one welcome mail once the device is
 * back online, and the set-password link in it sets the contact's portal password; a staff
 * member who forgot their password gets a link from the sign-in page (issue #14 item 9). Both
 * are here because only one spec file may listen on E2E_SMTP_PORT at a time.
 */
import { SMTP_PORT } from '../../playwright.config';
import { startSmtpPeer, type SmtpPeer } from '../integration/helpers/smtp-peer';
import { addContact, createCompany, goOffline } from './customers';
import {
	ADMIN,
	createStaffMember,
	expect,
	expectAccessible,
	expectNoHorizontalScroll,
	expectSignInRefused,
	signIn,
	submitLogin,
	test,
	uniqueStaff
} from './helpers';

test.setTimeout(90_000);

// One SMTP peer on SMTP_PORT for the file: its tests run in order on one worker.
test.describe.configure({ mode: 'default' });

let peer: SmtpPeer;
test.beforeAll(async () => {
	peer = await startSmtpPeer({ port: SMTP_PORT });
});
test.afterAll(async () => {
	await peer?.close();
});

test('a contact added offline gets exactly one welcome mail once online; its link sets the password', async ({
	page,
	newContext
}) => {
	await signIn(page, ADMIN);
	const stamp = Date.now();
	// A domain of its own: the worker's backoff is per recipient domain.
	const address = `wanda.${stamp}@welcome-e2e.test`;
	await createCompany(page, `Welcome GmbH ${stamp}`);
	await goOffline(page);
	await addContact(page, 'Wanda', 'Welcome', { email: address });
	await page.waitForTimeout(1000);
	expect(peer.received.filter((m) => m.rcptTo.includes(address))).toHaveLength(0);

	await page.context().setOffline(false);
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 20_000 });
	await expect.poll(() => peer.received.filter((m) => m.rcptTo.includes(address)).length, { timeout: 20_000 }).toBe(1);
	// Exactly once: nothing more arrives for it.
	await page.waitForTimeout(3000);
	const mails = peer.received.filter((m) => m.rcptTo.includes(address));
	expect(mails).toHaveLength(1);
	const [welcome] = mails;
	expect(welcome.subject).toBe('Welcome, Wanda');
	expect(welcome.messageId).toMatch(/^<.+@.+>$/);
	const link = /(http:\/\/\S+\/set-password\?token=[A-Za-z0-9_-]{43})/.exec(welcome.text ?? '')?.[1];
	expect(link, welcome.text).toBeDefined();

	// The contact opens the link on a phone, with no staff session.
	const contact = await newContext({ viewport: { width: 390, height: 844 } });
	const phone = await contact.newPage();
	await phone.goto(link!);
	await expect(phone.getByRole('heading', { level: 1 })).toContainText(/password/i);
	await expectAccessible(phone, 'set-password page');
	await expectNoHorizontalScroll(phone);
	const secret = `portal-${stamp}-pass`;
	await phone.getByLabel('New password', { exact: true }).fill(secret);
	await phone.getByLabel('New password again', { exact: true }).fill(secret);
	await phone.getByRole('button', { name: 'Set password', exact: true }).click();
	await expect(phone.getByText(/password is set/i)).toBeVisible();
	// The link works once.
	await phone.goto(link!);
	await expect(phone.getByText(/used already/i)).toBeVisible();
});

test('"Forgot password?" on the sign-in page: a staff member gets a link by e-mail and signs in with the new password', async ({
	adminPage: page,
	newContext
}) => {
	// A domain of its own (the worker's backoff is per recipient domain); never the admin.
	const member = { ...uniqueStaff('Forgetful'), email: `forgetful-${Date.now()}@forgot-e2e.test` };
	await createStaffMember(page, member);

	const own = await newContext({ viewport: { width: 390, height: 844 } });
	const phone = await own.newPage();
	await phone.goto('/login', { waitUntil: 'networkidle' });
	await phone.getByRole('link', { name: 'Forgot password?' }).click();
	await expect(phone.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
	await expectAccessible(phone, 'staff forgot-password page');
	await expectNoHorizontalScroll(phone);
	await phone.getByLabel('E-mail').fill(member.email);
	await phone.getByRole('button', { name: 'Send link' }).click();
	await expect(phone.getByRole('status')).toContainText('If an active staff account uses this address');

	const to = () => peer.received.filter((m) => m.rcptTo.includes(member.email));
	await expect.poll(() => to().length, { timeout: 20_000 }).toBe(1);
	const [mail] = to();
	expect(mail.subject).toBe('Reset your Fieldbook password');
	const link = /(http:\/\/\S+\/set-password\?token=[A-Za-z0-9_-]{43})/.exec(mail.text ?? '')?.[1];
	expect(link, mail.text).toBeDefined();

	await phone.goto(link!);
	await expect(phone.getByRole('heading', { level: 1, name: 'Set your password' })).toBeVisible();
	await expectAccessible(phone, 'staff set-password page');
	await expectNoHorizontalScroll(phone);
	const secret = `new-${Date.now()}-pass`;
	await phone.getByLabel('New password', { exact: true }).fill(secret);
	await phone.getByLabel('New password again', { exact: true }).fill(secret);
	await phone.getByRole('button', { name: 'Set password', exact: true }).click();
	await expect(phone.getByRole('status')).toContainText('every session of your account was signed out');

	await phone.getByRole('link', { name: 'Sign in to Fieldbook' }).click();
	await expect(phone.getByRole('heading', { name: 'Sign in to Fieldbook' })).toBeVisible();
	await phone.waitForLoadState('networkidle');
	await submitLogin(phone, { email: member.email, password: secret });
	await expect(phone.getByRole('banner').getByRole('link', { name: 'Fieldbook' })).toBeVisible();
	// The old password no longer opens the account.
	const other = await (await newContext()).newPage();
	await expectSignInRefused(other, member);
});
