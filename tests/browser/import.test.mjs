// An administrator imports a spreadsheet at /admin/import: with
// JavaScript and without it, the file is chosen, checked (the page says
// what it would add and which row has a problem, by line), and applied
// with one button; the listing is then on the site.  axe-core checks each
// page (with JavaScript on).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
	launch, newContext, newPage, goto, checkA11y, assertNoProblems,
	suffix, signpost, psql, dropModerator,
} from './lib.mjs';

const sfx = suffix();
const ADMIN = { email: `importer-${sfx}@example.org`,
    password: randomBytes(12).toString('base64url') };
let browser, header;

before(async () => {
	const out = signpost(['user', 'add', ADMIN.email, '--role', 'admin'],
	    `${ADMIN.password}\n`);
	assert.match(out, /added admin/);
	header = signpost(['import', 'csv', '--template']).trim().split(',');
	browser = await launch();
});

after(async () => {
	await browser?.close();
	psql(`DELETE FROM import_upload WHERE source LIKE :'s';
DELETE FROM service WHERE id IN (SELECT service_id FROM import_key
    WHERE source LIKE :'s');
DELETE FROM import_key WHERE source LIKE :'s';
DELETE FROM submission WHERE document #>> '{service,name}' LIKE :'n';`,
	    { s: `%${sfx}%`, n: `%${sfx}%` });
	dropModerator(ADMIN.email);
});

// A CSV row in the template's columns from an object of cells.
function row(cells) {
	return header.map((c) => {
		const v = cells[c] ?? '';
		return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
	}).join(',');
}

for (const mode of ['js', 'nojs']) {
	test(`${mode}: an administrator checks a spreadsheet, then applies it once`, async () => {
		const js = mode === 'js';
		const ctx = await newContext(browser, { javaScriptEnabled: js });
		const page = await newPage(ctx);
		const name = `Imported lunch club ${mode} ${sfx}`;
		const csv = [header.join(','), row({
			organisation: `Import Org ${sfx}`, service: name,
			kind: 'service', description: 'Soup and a chat.',
			is_free: 'yes', postcode: 'G12 8QQ',
			session1_freq: 'weekly', session1_day: 'Wednesday',
			session1_opens: '12:00', session1_closes: '13:30',
		}), row({
			organisation: `Import Org ${sfx}`,
			service: `Broken row ${mode} ${sfx}`, kind: 'service',
			description: 'Oops.', is_free: 'yes', postcode: 'G12 8Q',
		})].join('\n') + '\n';

		await goto(page, '/admin/login');
		await page.getByLabel('Email address').fill(ADMIN.email);
		await page.getByLabel('Password').fill(ADMIN.password);
		await Promise.all([page.waitForURL(/\/admin$/),
		    page.getByRole('button', { name: 'Sign in' }).click()]);
		await goto(page, '/admin/import');
		await page.getByRole('heading', { level: 1 }).waitFor();
		if (js)
			await checkA11y(page, `${mode} /admin/import`);
		await page.getByLabel(/The spreadsheet, as CSV/).setInputFiles({
		    name: 'listings.csv', mimeType: 'text/csv',
		    buffer: Buffer.from(csv) });
		await page.getByLabel(/Where the listings come from/)
		    .fill(`test ${mode} ${sfx}`);
		await Promise.all([
		    page.waitForURL(/\/admin\/import\/[0-9a-f-]{36}$/),
		    page.getByRole('button', { name: 'Check the file' }).click()]);
		const main = page.locator('main');
		await main.getByText(`line 2: would be added: ${name}`).waitFor();
		await main.getByText(/line 3: postcode 'G12 8Q'/).waitFor();
		if (js)
			await checkA11y(page, `${mode} import dry run`);
		assert.equal(psql(`SELECT count(*) FROM service WHERE name = :'n'`,
		    { n: name }).trim(), '0', 'the dry run changed nothing');
		const at = page.url();
		await Promise.all([page.waitForURL(at),
		    page.getByRole('button',
		    { name: 'Apply the rows without problems' }).click()]);
		await main.getByText(`line 2: added: ${name}`).waitFor()
		    .catch(async (e) => {
			assert.fail(`after Apply, ${page.url()}:\n${await main
			    .innerText()}\n${e}`);
		});
		if (js)
			await checkA11y(page, `${mode} import applied`);
		assert.equal(psql(`SELECT count(*) FROM service WHERE name = :'n'`,
		    { n: name }).trim(), '1');
		// No button to apply it twice.
		assert.equal(await page.getByRole('button',
		    { name: /^Apply/ }).count(), 0);
		assertNoProblems(page, `${mode} import`);
		await ctx.close();
	});
}
