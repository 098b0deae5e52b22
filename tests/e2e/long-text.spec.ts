/**
 * [§5] Long text merges (issue #14 item 5): two people editing the same customer's description
 * at once both keep their words — the one who saves second does not overwrite the first.
 */
import { closeSection, createCompany, editField, openSection, shownValue } from './customers';
import { ADMIN, expect, signIn, test } from './helpers';

test.setTimeout(90_000);

test('two people typing in the same Description both keep their words', async ({ page, newContext }) => {
	const base = 'Parking behind the building.';
	await signIn(page, ADMIN);
	const url = await createCompany(page, `Textmerge GmbH ${Date.now()}`);
	await editField(page, 'Description', base);

	const other = await (await newContext()).newPage();
	await signIn(other, ADMIN);
	// A fresh device first syncs everything the admin may read (every test's records by now).
	await expect(other.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });
	await other.goto(url);
	await expect(shownValue(other, 'Description')).toHaveText(base);

	// Both begin editing from the same text.
	const mine = (await openSection(page, 'General')).getByLabel('Description', { exact: true });
	const theirs = (await openSection(other, 'General')).getByLabel('Description', { exact: true });
	await mine.fill(`Visits on Mondays. ${base}`);
	await theirs.fill(`${base} Ask for Anna.`);
	// Their caret is drawn in my field, and follows them (issue #14 item 5).
	const caret = page.locator('[data-remote-caret]');
	await expect(caret).toBeVisible();
	const atEnd = (await caret.boundingBox())!;
	await theirs.press('Control+Home');
	await expect
		.poll(async () => {
			const box = await caret.boundingBox();
			return box ? box.y * 10_000 + box.x : Infinity;
		})
		.toBeLessThan(atEnd.y * 10_000 + atEnd.x);
	// They save first; my draft stays as I typed it; their caret leaves with them.
	await theirs.blur();
	await expect(caret).toHaveCount(0);
	await closeSection(other, 'General');
	await expect(mine).toHaveValue(`Visits on Mondays. ${base}`);
	// I save second: both changes are kept, on both screens.
	await mine.blur();
	await closeSection(page, 'General');
	const merged = `Visits on Mondays. ${base} Ask for Anna.`;
	await expect(shownValue(page, 'Description')).toHaveText(merged);
	await expect(shownValue(other, 'Description')).toHaveText(merged, { timeout: 15_000 });

	// History says what each change did: from → to (issue #14 item 5), whichever save the
	// server stored first.
	await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Synced', { timeout: 15_000 });
	await page.getByRole('tab', { name: 'History' }).click();
	const history = page.getByRole('tabpanel', { name: 'History' });
	await expect(history.getByText(` → ${merged}`).first()).toBeVisible({ timeout: 15_000 });
	await expect(history.getByText(`${base} → `).first()).toBeVisible();
});
