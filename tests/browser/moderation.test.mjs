// A group lists a walk without an account, a moderator publishes it, the
// group changes it through its private link, the moderator approves the
// change from its diff and later puts the first version back.  Three
// times: with JavaScript and the mouse, with JavaScript off, and by
// keyboard alone (submit, sign in and approve).  axe-core checks every
// submission and moderation page on the way.
//
// Every name carries this run's suffix, the moderator's address too, and
// after() deletes what was made, so runs can follow each other on one
// database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
	BASE, launch, newContext, newPage, goto, checkA11y, assertNoProblems,
	screenshot, tabTo, resultItem, suffix, addModerator, dropModerator,
	dropListings, forgetSubmitter, postcodeLatLon, geodesicMetres,
	formatDistance,
} from './lib.mjs';

const sfx = suffix();
const MOD = { email: `moderator-${sfx}@example.org`,
    password: randomBytes(12).toString('base64url') };
const VENUE_PC = 'G11 7AA';	// Thornwood, by the Clyde walkway
const NEAR_PC = 'G11 6AA';	// about 1.3 km east of it
const CLOSE_PC = 'G11 6EX';	// about 150 m away: metre steps on the page
let browser;

before(async () => {
	postcodeLatLon(VENUE_PC);
	addModerator(MOD.email, MOD.password);
	browser = await launch();
});

after(async () => {
	await browser?.close();
	dropListings(sfx);
	dropModerator(MOD.email);
});

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Unlike each other: a similar name makes the form ask whether it is the
// organisation listed already.
const ORG = { js: 'Clyde Walkway Friends', nojs: 'Partick Ramblers Society',
    keyboard: 'Whiteinch Strollers Club' };
const walkName = (mode) => `Thornwood ${mode} Walkers ${sfx}`;

// A context per person: the group and the moderator never share cookies.
async function person(opts = {}) {
	const ctx = await newContext(browser, opts);
	const page = await newPage(ctx);
	return { ctx, page, js: opts.javaScriptEnabled !== false };
}

// axe needs JavaScript (lib.mjs): the run with it on checks the same
// pages, some of which (a form sent with errors) no URL can show again.
async function a11y(who, what) {
	if (who.js)
		await checkA11y(who.page, what);
}

// Clicks and waits for the navigation it starts.
async function clickTo(page, locator, url) {
	await Promise.all([page.waitForURL(url), locator.click()]);
	await page.waitForLoadState();
}

// The form filled as a person does, with the mouse and typing: each
// field found by its label inside its section.
async function fillListing(page, name, mode) {
	const sec = (id) => page.locator(`#${id}`);
	const type = async (loc, text) => {
		await loc.click();
		await loc.fill('');
		await loc.pressSequentially(text);
	};
	await type(sec('organisation').getByLabel('Name of the organisation'),
	    `${ORG[mode]} ${sfx}`);
	await type(sec('service').getByLabel('Name of the service or group'),
	    name);
	await sec('service').getByLabel('A walking group').check();
	await type(sec('service').getByLabel('What happens there'),
	    'An easy walk along the Clyde walkway, then tea.');
	await sec('service').locator('summary', { hasText: /^Activity$/ })
	    .click();
	await sec('service').getByLabel('Physical Activity', { exact: true })
	    .check();
	await sec('service').getByLabel('Yes, it is free').check();
	await type(sec('venue-1').getByLabel(/^Name of the place/),
	    'Thornwood Community Hall');
	await type(sec('venue-1').getByLabel(/^Street address/),
	    '1 Thornwood Drive');
	await type(sec('venue-1').getByLabel(/^Town or city/), 'Glasgow');
	await type(sec('venue-1').getByLabel('Postcode'), VENUE_PC.toLowerCase());
	for (const [id, day, start, end] of [['session-1', 'Tuesday', '10:00',
	    '11:00'], ['session-2', 'Thursday', '14:00', '15:30']]) {
		await sec(id).getByLabel('Where').selectOption({ label: 'Venue 1' });
		await sec(id).getByLabel('How often').selectOption(
		    { label: 'Every week' });
		await sec(id).getByLabel(day, { exact: true }).check();
		await sec(id).getByLabel('Starts at').fill(start);
		await sec(id).getByLabel('Ends at').fill(end);
	}
	await sec('walk').getByLabel(/^Easy/).check();
	await type(sec('walk').getByLabel('Length in km'), '3.5');
	await type(sec('walk').getByLabel('Where to meet'), 'At the hall door');
	await type(sec('you').getByLabel('Your email'),
	    `walkers-${mode}-${sfx}@example.org`);
}

// Fails with the error summary when the form came back.
async function refused(page) {
	await page.waitForLoadState();
	if (await page.locator('.error-summary').count() > 0)
		assert.fail(`the form was refused: ${await page
		    .locator('.error-summary').innerText()}`);
}

// The confirmation page, and the private link copied from it.
async function confirmation(page) {
	assert.match(new URL(page.url()).pathname, /^\/edit\/[0-9a-f]{64}$/);
	await page.getByRole('heading', { level: 1,
	    name: /we have your listing/i }).waitFor();
	const link = (await page.locator('.edit-link').innerText()).trim();
	const u = new URL(link);
	assert.equal(u.pathname, new URL(page.url()).pathname,
	    'the link on the page is the page\'s own address');
	return u.pathname;
}

async function signIn(who) {
	const { page } = who;
	await goto(page, '/admin/login');
	await page.getByLabel('Email address').fill(MOD.email);
	await page.getByLabel('Password').fill(MOD.password);
	await clickTo(page, page.getByRole('button', { name: 'Sign in' }),
	    /\/admin$/);
	await page.getByRole('heading', { level: 1, name: 'Moderation queue' })
	    .waitFor();
}

// Opens the queue's row for name (a new listing or an update) and
// approves it; returns the published service's id.
async function approve(who, name, what) {
	const { page } = who;
	await goto(page, '/admin');
	const row = page.locator('table.queue tbody tr').filter({
	    has: page.getByRole('link', { name, exact: true }) });
	assert.match(await row.innerText(), what === 'update' ? /^Update/ :
	    /^New listing/);
	await clickTo(page, row.getByRole('link', { name, exact: true }),
	    /\/admin\/submissions\/[0-9a-f-]{36}$/);
	const item = page.url();
	await page.getByRole('heading', { level: 1 }).filter({
	    hasText: name }).waitFor();
	return { item, publish: async () => {
		await clickTo(page, page.getByRole('button',
		    { name: 'Approve and publish' }), item);
		await page.locator('.item-status').filter(
		    { hasText: /Published/ }).waitFor();
		const href = await page.getByRole('link',
		    { name: 'see the listing' }).getAttribute('href');
		return href.replace(/^\/services\//, '');
	} };
}

// The id of the form's section that holds the Tuesday session.
async function tuesday(page) {
	for (let n = 1; n <= 4; n++)
		if (await page.locator(`#s${n}_day-TU`).isChecked())
			return `session-${n}`;
	assert.fail('no Tuesday session in the form');
}

// The result for name from a postcode, and the distance it shows.
async function searchFrom(page, postcode, name) {
	await goto(page, '/');
	await page.getByLabel(/postcode/i).first().fill(postcode);
	await page.getByLabel(/what they need|keyword|looking for/i).first()
	    .fill(sfx);
	await clickTo(page, page.getByRole('button', { name: /^search/i })
	    .first(), /\/search\?/);
	const item = resultItem(page, name);
	const dd = item.locator('dl.facts > div').filter({
	    has: page.locator('dt', { hasText: /^Distance$/ }) })
	    .locator('dd');
	// The map's number comes first (hidden from screen readers).
	const m = /^(?:\d+\s+)?(\d+(?:\.\d)? k?m)\b/.exec(
	    (await dd.innerText()).trim());
	assert.ok(m, `no distance in "${await dd.innerText()}"`);
	return m[1];
}

function expectedDistance(from) {
	const [la, lo] = postcodeLatLon(from);
	const [lb, lob] = postcodeLatLon(VENUE_PC);
	return formatDistance(geodesicMetres(la, lo, lb, lob));
}

// The flow with the mouse (js) or with JavaScript off (nojs).
function flow(mode, opts) {
	const name = walkName(mode);
	const s = {};

	test(`${mode}: the empty form comes back with its errors linked to the fields`, async () => {
		forgetSubmitter(sfx);
		s.group = await person(opts);
		s.mod = await person(opts);
		const { page } = s.group;
		await goto(page, '/');
		await clickTo(page, page.getByRole('navigation', { name: /main/i })
		    .getByRole('link', { name: 'Add a listing' }), /\/submit$/);
		await a11y(s.group, `${mode} /submit`);
		await Promise.all([page.waitForResponse((r) =>
		    r.url().endsWith('/submit') && r.request().method() === 'POST'
		    && r.status() === 400), page.getByRole('button',
		    { name: 'Send for checking' }).click()]);
		await page.waitForLoadState();
		assert.match(await page.title(), /^Error: /);
		const summary = page.locator('.error-summary');
		await summary.getByRole('link',
		    { name: /name of the organisation/i }).waitFor();
		assert.equal(await summary.getByRole('link',
		    { name: /name of the organisation/i }).getAttribute('href'),
		    '#org_name');
		await page.locator('#org_name[aria-invalid="true"]').waitFor();
		await a11y(s.group, `${mode} /submit with errors`);
		assertNoProblems(page, `${mode} submit errors`);
	});

	test(`${mode}: a walking group with two weekly sessions is sent and its private link shown`, async () => {
		const { page } = s.group;
		await fillListing(page, name, mode);
		await screenshot(page, `moderation-${mode}-form`);
		await page.getByRole('button', { name: 'Send for checking' })
		    .click();
		await refused(page);
		await page.waitForURL(/\/edit\/[0-9a-f]{64}\?sent=1$/);
		s.link = await confirmation(page);
		await a11y(s.group, `${mode} confirmation`);
		await screenshot(page, `moderation-${mode}-sent`);
		// Not in search before a moderator has seen it.
		const r = await fetch(`${BASE}/api/services?search=` +
		    encodeURIComponent(name));
		assert.ok(!(await r.json()).contents.some((x) => x.name === name));
		assertNoProblems(page, `${mode} sent`);
	});

	test(`${mode}: a moderator signs in, finds it in the queue and approves it`, async () => {
		const { page } = s.mod;
		await goto(page, '/admin/login');
		await a11y(s.mod, `${mode} /admin/login`);
		await signIn(s.mod);
		await a11y(s.mod, `${mode} /admin queue`);
		const it = await approve(s.mod, name, 'new');
		await a11y(s.mod, `${mode} new item`);
		const body = await page.locator('main').innerText();
		assert.match(body, /Every Tuesday, 10:00 to 11:00, at venue 1/);
		assert.match(body, /Every Thursday, 14:00 to 15:30, at venue 1/);
		assert.match(body, new RegExp(VENUE_PC));
		s.service = await it.publish();
		assertNoProblems(page, `${mode} approve`);
	});

	test(`${mode}: the walk is found near ${NEAR_PC} at its geodesic distance, and in the feed`, async () => {
		const { page } = s.group;
		for (const pc of [NEAR_PC, CLOSE_PC])
			assert.equal(await searchFrom(page, pc, name),
			    expectedDistance(pc), `distance from ${pc}`);
		await clickTo(page, page.getByRole('link', { name, exact: true }),
		    new RegExp(`/services/${s.service}`));
		const main = await page.locator('main').innerText();
		assert.match(main, /Tue\w*[^\n]*10:00/);
		assert.match(main, /Thu\w*[^\n]*14:00/);

		const r = await fetch(`${BASE}/api/services?` + new URLSearchParams({
		    search: sfx, postcode: NEAR_PC, proximity: '3000' }));
		assert.equal(r.status, 200);
		const got = (await r.json()).contents.find((x) => x.name === name);
		assert.ok(got, `${name} is not in the feed`);
		assert.equal(got.id, s.service);
		assert.equal(got.status, 'active');
		assertNoProblems(page, `${mode} search`);
	});

	test(`${mode}: the edit link changes a start time; the moderator sees one changed row and approves it`, async () => {
		const { page } = s.group;
		await goto(page, s.link);
		await page.getByText(/is published/).waitFor();
		await a11y(s.group, `${mode} edit page, published`);
		await clickTo(page, page.getByRole('link',
		    { name: 'Change the listing' }), new RegExp(`${s.link}/change$`));
		await a11y(s.group, `${mode} change form`);
		// Sessions come back in the order the group gave them; the
		// Tuesday one is found by its day all the same.
		const tue = await tuesday(page);
		const start = page.locator(`#${tue}`).getByLabel('Starts at');
		assert.equal(await start.inputValue(), '10:00');
		if (mode === 'js') {
			// A second tab made from the same version, sent after the
			// first: the group is shown both, nothing is lost.
			s.stale = await newPage(s.group.ctx);
			await goto(s.stale, `${s.link}/change`);
		}
		await start.fill('10:30');
		await clickTo(page, page.getByRole('button',
		    { name: 'Send the change' }), /\?changed=1$/);
		await page.getByText(/your change is with a moderator/i).waitFor();
		if (s.stale) {
			await s.stale.locator(`#${tue}`).getByLabel('Ends at')
			    .fill('11:15');
			await Promise.all([s.stale.waitForResponse((r) =>
			    r.request().method() === 'POST' && r.status() === 409),
			    s.stale.getByRole('button',
			    { name: 'Send the change' }).click()]);
			await s.stale.waitForLoadState();
			await s.stale.getByRole('heading', { level: 1,
			    name: 'Your change was not saved' }).waitFor();
			await checkA11y(s.stale, 'conflict page');
			await s.stale.close();
		}

		const it = await approve(s.mod, name, 'update');
		const rows = s.mod.page.locator('table.diff tbody tr');
		assert.equal(await rows.count(), 1, await s.mod.page
		    .locator('table.diff').innerText());
		const cells = await rows.first().locator('th, td').allInnerTexts();
		assert.equal(cells[0], `Session ${tue.slice(-1)}`);
		assert.match(cells[1], /10:00 to 11:00/);
		assert.match(cells[2], /10:30 to 11:00/);
		await a11y(s.mod, `${mode} update item with a diff`);
		assert.equal(await it.publish(), s.service);
		await goto(page, `/services/${s.service}`);
		assert.match(await page.locator('main').innerText(), /10:30/);
	});

	test(`${mode}: the history shows both versions and restoring the first puts 10:00 back`, async () => {
		const { page } = s.mod;
		await clickTo(page, page.getByRole('link', { name: 'its history' }),
		    new RegExp(`/admin/services/${s.service}/history$`));
		await a11y(s.mod, `${mode} history`);
		const entries = page.locator('section.history-entry');
		assert.equal(await entries.count(), 2);
		// Both were written by the group; the heading says so.
		assert.match(await entries.nth(0).getByRole('heading').innerText(),
		    /updated by the group, approved by /);
		assert.match(await entries.nth(1).getByRole('heading').innerText(),
		    /created by the group, approved by /);
		assert.equal(await entries.nth(0).getByRole('button').count(), 0,
		    'the current version has nothing to restore');
		// Restoring asks first, with what would change, then says
		// which version it put back.
		await clickTo(page, entries.nth(1).getByRole('button',
		    { name: 'Restore this version' }),
		    new RegExp(`/admin/services/${s.service}/restore\\?`));
		await page.getByRole('heading', { level: 1,
		    name: 'Put back this version?' }).waitFor();
		await a11y(s.mod, `${mode} restore confirmation`);
		await clickTo(page, page.getByRole('button',
		    { name: 'Yes, put this version back' }),
		    new RegExp(`/admin/services/${s.service}/history\\?restored=`));
		await page.getByText(/^Put back: the version of /).waitFor();
		assert.equal(await entries.count(), 3);
		assert.match(await entries.nth(0).getByRole('heading').innerText(),
		    /restored by /);
		const grp = s.group.page;
		await goto(grp, `/services/${s.service}`);
		const main = await grp.locator('main').innerText();
		assert.match(main, /Tue\w*[^\n]*10:00/);
		assert.doesNotMatch(main, /10:30/);
		if (mode === 'js') {
			for (const p of ['/admin/review', '/admin/outbox']) {
				await goto(page, p);
				await page.getByRole('heading', { level: 1 }).waitFor();
				await a11y(s.mod, `${mode} ${p}`);
			}
		}
		assertNoProblems(page, `${mode} history`);
		await s.group.ctx.close();
		await s.mod.ctx.close();
	});

	test(`${mode}: a fresh browser opening the link (as from a reminder) confirms it at the first press`, async () => {
		// No cookie yet: the page sets one token for all its forms.
		const fresh = await person(opts);
		try {
			const { page } = fresh;
			await goto(page, s.link);
			await clickTo(page, page.getByRole('button',
			    { name: 'It is still correct' }), /\?confirmed=1$/);
			await page.getByText(/now shows it was checked today/)
			    .waitFor();
			assertNoProblems(page, `${mode} still correct`);
		} finally {
			await fresh.ctx.close();
		}
	});
}

flow('js', {});
flow('nojs', { javaScriptEnabled: false });

// ---- By keyboard alone ------------------------------------------------

const focused = (id) => document.activeElement.id === id;

// Tab (forwards) to the field with this id, then type into it.  Selects
// take type-ahead (the option's first letters), times their digits.
async function tabType(page, id, text, max = 80) {
	await tabTo(page, focused, id, max);
	await page.keyboard.type(text, { delay: 30 });
	assert.notEqual(await page.locator(`#${id}`).inputValue(), '',
	    `typing "${text}" left #${id} empty`);
}

// Tab into a radio group, then Space on the wanted button or the arrows
// to it: a group is one Tab stop, its buttons move with the arrows.
async function pickRadio(page, name, id) {
	await tabTo(page, (n) => document.activeElement.name === n, name, 120);
	const box = page.locator(`#${id}`);
	if (await page.evaluate(focused, id))
		await page.keyboard.press('Space');
	for (let i = 0; i < 4 && !(await box.isChecked()); i++)
		await page.keyboard.press('ArrowDown');
	assert.equal(await box.isChecked(), true, `${id} is not chosen`);
}

test('keyboard: a walk is submitted, the moderator signs in and approves it, by Tab, Space, Enter and typing', async () => {
	forgetSubmitter(sfx);
	const name = walkName('keyboard');
	const group = await person();
	const mod = await person();
	try {
		const { page } = group;
		await goto(page, '/');
		await tabTo(page, () => document.activeElement.textContent
		    .trim() === 'Add a listing');
		await Promise.all([page.waitForURL(/\/submit$/),
		    page.keyboard.press('Enter')]);
		await page.waitForLoadState();
		await tabType(page, 'org_name', `${ORG.keyboard} ${sfx}`);
		await tabType(page, 'name', name);
		// Into the radio group; its buttons move with the arrows.
		await pickRadio(page, 'kind', 'kind-walking_group');
		await tabType(page, 'description', 'A walk by the river.');
		await tabTo(page, () => document.activeElement.tagName ===
		    'SUMMARY' && document.activeElement.textContent === 'Activity');
		await page.keyboard.press('Enter');
		await tabTo(page, focused, 'category-physical-activity');
		await page.keyboard.press('Space');
		await pickRadio(page, 'free', 'free-yes');
		await tabType(page, 'v1_name', 'Thornwood Community Hall');
		await tabType(page, 'v1_postcode', VENUE_PC);
		await tabType(page, 's1_venue', 'V');
		await tabType(page, 's1_pattern', 'Every w');
		// Days are boxes: Tab to one, Space ticks it.
		await tabTo(page, focused, 's1_day-TU');
		await page.keyboard.press('Space');
		await tabType(page, 's1_start', '1000');
		await tabType(page, 's1_end', '1100');
		await tabType(page, 's2_venue', 'V');
		await tabType(page, 's2_pattern', 'Every w');
		await tabTo(page, focused, 's2_day-TH');
		await page.keyboard.press('Space');
		await tabType(page, 's2_start', '1400');
		await tabType(page, 's2_end', '1530');
		await pickRadio(page, 'walk_grade', 'walk_grade-easy');
		await tabType(page, 'contact_email',
		    `walkers-keyboard-${sfx}@example.org`, 120);
		// Back one field and forward again: Shift+Tab works too.
		await page.keyboard.press('Shift+Tab');
		assert.notEqual(await page.evaluate(() =>
		    document.activeElement.id), 'contact_email');
		await tabTo(page, focused, 'contact_email');
		await tabTo(page, () => document.activeElement.textContent ===
		    'Send for checking');
		await Promise.all([page.waitForNavigation(),
		    page.keyboard.press('Enter')]);
		await refused(page);
		await confirmation(page);

		const mp = mod.page;
		await goto(mp, '/admin/login');
		await tabType(mp, 'email', MOD.email);
		await tabType(mp, 'password', MOD.password);
		await Promise.all([mp.waitForURL(/\/admin$/),
		    mp.keyboard.press('Enter')]);
		await tabTo(mp, (n) => document.activeElement.textContent === n,
		    name);
		await Promise.all([mp.waitForURL(/\/admin\/submissions\//),
		    mp.keyboard.press('Enter')]);
		await mp.waitForLoadState();
		const item = mp.url();
		await tabTo(mp, () => document.activeElement.textContent ===
		    'Approve and publish');
		await Promise.all([mp.waitForURL(item),
		    mp.keyboard.press('Space')]);
		await mp.locator('.item-status').filter(
		    { hasText: /Published/ }).waitFor();
		assert.equal(await searchFrom(page, NEAR_PC, name),
		    expectedDistance(NEAR_PC));
		assertNoProblems(page, 'keyboard submit');
		assertNoProblems(mp, 'keyboard approve');
	} finally {
		await group.ctx.close();
		await mod.ctx.close();
	}
});
