// The web views as their users see them: Debian's headless Chromium, driven
// by playwright-core, against a running `hotline serve` (tests/browser/run.sh
// starts it, adds the users and seeds two reports).  One browser context per
// user; context.request for raw statuses and headers (it shares the
// context's cookies).  Prints "ok - ..." / "not ok - ..." lines and a count;
// the helpers are lib.mjs's.
//
// Environment (and lib.mjs's: BASE_URL, ARTIFACTS, DATABASE, RESULT_FILE,
// TOKENS_FILE, CHROMIUM):
//   CODE_CAPIL    a report routed to Dispendukcapil, from NUMBER_CAPIL
//   CODE_DISHUB   a report routed to Dishub, from NUMBER_DISHUB
//   NUMBER_CAPIL, NUMBER_DISHUB   the reporters' numbers (08...)
//   MAYOR_PASS    walikota's login password
//   KEY_PASS      the mayor key's passphrase (asked at the first unseal)
//   OPD_PASS      kadis_capil's and kadis_dishub's password
//   UNSEAL_REASON the reason given to unseal CODE_CAPIL (run.sh checks the
//                 audit log for it)
//   DATABASE      optional: the SQLite database, to see that refused
//                 posts changed nothing
import { request as pwRequest } from 'playwright-core';
import {
	BASE, need, check, eq, step, numberFinder, pathOf, postForm, get,
	secureHeaders, noScript, finalResponse, textOutsideForms, shot, csrfOf,
	sessionCookie, sql, submit, submitButton, login, launch, newUser, done,
} from './lib.mjs';

const CODE_CAPIL = need('CODE_CAPIL');
const CODE_DISHUB = need('CODE_DISHUB');
const MAYOR_PASS = need('MAYOR_PASS');
const KEY_PASS = need('KEY_PASS');
const OPD_PASS = need('OPD_PASS');
const REASON = process.env.UNSEAL_REASON ||
	'Verifikasi pelapor atas permintaan Inspektorat';
const NUMBER_CAPIL = process.env.NUMBER_CAPIL || '081234567890';
const NUMBER_DISHUB = process.env.NUMBER_DISHUB || '081234567891';
const MISSING_CODE = 'KDR-222222';

const noNumbers = numberFinder([NUMBER_CAPIL, NUMBER_DISHUB]);
const IDENTITY_CAPIL = `+62${NUMBER_CAPIL.replace(/^0/, '')}`;
const ACKNOWLEDGED = /diterima oleh OPD|\backnowledged\b/i;

// The report's row and the history, to see that a refused post changed
// nothing (when run.sh gives the database).
function dbState(code) {
	return sql(`select status, coalesce(acknowledged_at, '') from reports where code = '${code}';` +
		'select count(*) from history;');
}
function unchanged(what, before, code) {
	if (before === null) return;
	eq(what, before, dbState(code));
}

// --- the run ------------------------------------------------------------------
await launch(180);
const anon = await newUser();
const mayor = await newUser();
const capil = await newUser();
const dishub = await newUser();
const triage = await newUser();

// 1. The login page, and wrong credentials.
await step('the login page', async () => {
	const { page } = anon;
	const resp = await page.goto(BASE + '/login');
	eq('GET /login is 200', 200, resp.status());
	const form = 'form[action="/login"][method="post" i]';
	eq('it has a POST form to /login', 1, await page.locator(form).count());
	eq('with a username field', 1, await page.locator(`${form} input[name=username]`).count());
	eq('with a password field', 'password',
		await page.locator(`${form} input[name=password]`).getAttribute('type'));
	check('with a hidden CSRF token', await csrfOf(page, form));
	check('and a submit button', await page.locator(submitButton(form)).count() > 0);
	await noScript('/login', resp);
	await shot(page, 'login.png');
});

await step('wrong credentials', async () => {
	const { page, ctx } = anon;
	const wrong = await login(page, 'walikota', 'bukan kata sandinya');
	eq('a wrong password is 401', 401, wrong.status());
	const wrongText = await page.locator('body').innerText();
	check('it says "Nama pengguna atau kata sandi salah"',
		wrongText.includes('Nama pengguna atau kata sandi salah'));
	const unknown = await login(page, 'tidak_ada', 'bukan kata sandinya');
	eq('an unknown user is 401', 401, unknown.status());
	eq('with the same page as a wrong password', wrongText,
		await page.locator('body').innerText());
	check('no session cookie is set', !(await sessionCookie(ctx)));
	const h = await wrong.allHeaders();
	check('the 401 sets no hl_session', !/hl_session=/.test(h['set-cookie'] || ''));
});

await step('pages without a session', async () => {
	for (const path of ['/mayor', '/opd']) {
		const r = await get(anon.ctx, path);
		eq(`GET ${path} without a session is 303`, 303, r.status());
		eq(`to /login`, '/login', pathOf(r.headers().location || ''));
	}
});

await step('an oversized login form', async () => {
	const r = await postForm(anon.ctx, '/login',
		{ username: 'walikota', password: 'x'.repeat(100 * 1024), csrf: 'x' });
	eq('a 100 KB login form is 413', 413, r.status());
});

// 2. The mayor: login, the dashboard, the CSV.
await step('the mayor logs in', async () => {
	const { page, ctx } = mayor;
	const resp = await login(page, 'walikota', MAYOR_PASS);
	eq('POST /login is 303', 303, resp.status());
	eq('to /mayor', '/mayor', pathOf((await resp.allHeaders()).location || ''));
	eq('the browser is on /mayor', '/mayor', pathOf(page.url()));
	const c = await sessionCookie(ctx);
	if (check('hl_session is set', c)) {
		check('HttpOnly', c.httpOnly);
		eq('SameSite=Strict', 'Strict', c.sameSite);
		eq('Path=/', '/', c.path);
	}
});

await step('the mayor\'s view', async () => {
	const { page } = mayor;
	const resp = await page.goto(BASE + '/mayor');
	eq('GET /mayor is 200', 200, resp.status());
	await secureHeaders('/mayor', resp);
	await noScript('/mayor', resp);
	const heads = await page.locator('h1, h2, h3, h4').allInnerTexts();
	for (const want of ['Kinerja OPD', 'Kesehatan kerahasiaan'])
		check(`a heading "${want}"`, heads.some((t) => t.includes(want)), heads.join(' | '));
	check('an inline <svg> chart', await page.locator('svg').count() > 0);
	check('a link to /mayor.csv', await page.locator('a[href^="/mayor.csv"]').count() > 0);
	eq('no reporter number', '', noNumbers(await resp.text()));
	await shot(page, 'mayor.png', true);
	let r = await get(mayor.ctx, '/mayor?opd=dishub');
	eq('filtered by an OPD: 200', 200, r.status());
	const only = await get(mayor.ctx, '/mayor.csv?opd=dishub');
	const csv = await only.text();
	check('the filtered CSV lists Dishub\'s report only',
		csv.includes(CODE_DISHUB) && !csv.includes(CODE_CAPIL));
	r = await get(mayor.ctx, '/mayor?from=2026-02-30');
	eq('a date that does not exist is 400', 400, r.status());
	r = await get(mayor.ctx, '/mayor?opd=no_such_opd');
	eq('an unknown OPD is 400', 400, r.status());
});

await step('/mayor.csv', async () => {
	const r = await get(mayor.ctx, '/mayor.csv');
	eq('GET /mayor.csv is 200', 200, r.status());
	check('as text/csv', /^text\/csv\b/.test(r.headers()['content-type'] || ''),
		r.headers()['content-type']);
	const body = await r.text();
	const first = body.split(/\r?\n/)[0];
	check('with a header row', first.length > 0 && /[,;]/.test(first) && !/KDR-/.test(first), first);
	check(`listing ${CODE_CAPIL}`, body.includes(CODE_CAPIL));
	eq('no reporter number', '', noNumbers(body));
});

// 3. The mayor unseals a reporter's identity: once, with a reason.
const unsealForm = `form[action="/reports/${CODE_CAPIL}/unseal"]`;
await step('the report page for the mayor', async () => {
	const { page } = mayor;
	const resp = await page.goto(`${BASE}/reports/${CODE_CAPIL}`);
	eq(`GET /reports/${CODE_CAPIL} is 200`, 200, resp.status());
	await secureHeaders('/reports/CODE', resp);
	await noScript('/reports/CODE', resp);
	check('the code is in the h1', (await page.locator('h1').first().innerText()).includes(CODE_CAPIL));
	eq('an unseal form', 1, await page.locator(unsealForm).count());
	eq('with a reason field', 1, await page.locator(`${unsealForm} textarea[name=reason]`).count());
	eq('and the key\'s passphrase asked apart from the login', 1,
		await page.locator(`${unsealForm} input[name=passphrase][type=password]`).count());
	check('and a CSRF token', await csrfOf(page, unsealForm));
	eq('no identity before unsealing', 0, await page.locator('#identity').count());
	eq('no reporter number before unsealing', '', noNumbers(await resp.text()));
	await shot(page, 'report-before-unseal.png', true);
});

await step('refused unseals', async () => {
	const { page, ctx } = mayor;
	const csrf = await csrfOf(page, unsealForm);
	const path = `/reports/${CODE_CAPIL}/unseal`;
	let r = await postForm(ctx, path, { csrf, reason: '' });
	eq('an empty reason is 400', 400, r.status());
	let body = await r.text();
	check('saying "Alasan wajib diisi"', body.includes('Alasan wajib diisi'));
	check('and showing no identity', !noNumbers(body) && !/id=["']?identity\b/.test(body),
		noNumbers(body) || 'has id="identity"');
	r = await postForm(ctx, path, { csrf, reason: '   ' });
	check('a blank reason is refused too', r.status() === 400 && !noNumbers(await r.text()),
		`status ${r.status()}`);
	r = await postForm(ctx, path, { reason: REASON });
	eq('an unseal without CSRF is 403', 403, r.status());
	eq('and shows no identity', '', noNumbers(await r.text()));
	r = await postForm(ctx, path, { csrf: 'salah' + csrf, reason: REASON });
	eq('an unseal with a wrong CSRF is 403', 403, r.status());
	eq('and shows no identity', '', noNumbers(await r.text()));
	r = await postForm(ctx, path, { csrf, reason: 'x'.repeat(100 * 1024) });
	eq('a 100 KB reason is 413', 413, r.status());
	eq('and shows no identity', '', noNumbers(await r.text()));
	r = await postForm(ctx, path, { csrf, reason: REASON });
	eq('an unseal without the key\'s passphrase is 400', 400, r.status());
	check('asking for it', (await r.text()).includes('Isi frasa sandi kunci'));
	r = await postForm(ctx, path, { csrf, reason: REASON, passphrase: 'bukan frasa sandinya' });
	eq('a wrong passphrase is 403', 403, r.status());
	body = await r.text();
	check('saying so, and showing no identity',
		body.includes('Frasa sandi kunci salah') && !noNumbers(body), noNumbers(body));
	r = await postForm(ctx, path, { csrf, reason: REASON, passphrase: MAYOR_PASS });
	eq('the login password as the passphrase is 403', 403, r.status());
	check('saying they must differ', (await r.text()).includes('tidak boleh sama'));
});

await step('the unseal', async () => {
	const { page } = mayor;
	await page.goto(`${BASE}/reports/${CODE_CAPIL}`);
	await page.fill(`${unsealForm} textarea[name=reason]`, REASON);
	await page.fill(`${unsealForm} input[name=passphrase]`, KEY_PASS);
	const resp = await finalResponse(await submit(page, `/reports/${CODE_CAPIL}/unseal`,
		submitButton(unsealForm)));
	check('the unseal answers', resp.status() < 400, `status ${resp.status()}`);
	await secureHeaders('the unsealed page', resp);
	const id = page.locator('#identity');
	eq('the identity is shown in #identity', 1, await id.count());
	check(`with ${IDENTITY_CAPIL}`, (await id.innerText()).includes(IDENTITY_CAPIL),
		await id.innerText());
	await shot(page, 'report-after-unseal.png', true);

	const again = await page.goto(`${BASE}/reports/${CODE_CAPIL}`);
	eq('the report page again is 200', 200, again.status());
	eq('no #identity the second time', 0, await page.locator('#identity').count());
	eq('and the passphrase is not asked again in this session', 0,
		await page.locator(`${unsealForm} input[name=passphrase]`).count());
	eq('and no reporter number', '', noNumbers(await again.text()));
});

// 4. The head of Dispendukcapil: own reports only, actions with CSRF.
await step('kadis_capil logs in', async () => {
	const { page, ctx } = capil;
	const resp = await login(page, 'kadis_capil', OPD_PASS);
	eq('POST /login is 303', 303, resp.status());
	eq('to /opd', '/opd', pathOf((await resp.allHeaders()).location || ''));
	const c = await sessionCookie(ctx);
	if (check('hl_session is set', c)) {
		check('HttpOnly', c.httpOnly);
		eq('SameSite=Strict', 'Strict', c.sameSite);
	}
});

await step('the OPD view', async () => {
	const { page } = capil;
	const resp = await page.goto(BASE + '/opd');
	eq('GET /opd is 200', 200, resp.status());
	await secureHeaders('/opd', resp);
	await noScript('/opd', resp);
	const html = await resp.text();
	check(`lists ${CODE_CAPIL}`, html.includes(CODE_CAPIL));
	check(`not ${CODE_DISHUB} (Dishub's)`, !html.includes(CODE_DISHUB));
	eq('no reporter number', '', noNumbers(html));
	await shot(page, 'opd.png', true);
});

await step('what an OPD may not see', async () => {
	const { ctx } = capil;
	for (const path of ['/mayor', '/mayor.csv']) {
		const r = await get(ctx, path);
		eq(`GET ${path} as an OPD is 403`, 403, r.status());
		eq('with no reporter number', '', noNumbers(await r.text()));
	}
	const other = await get(ctx, `/reports/${CODE_DISHUB}`);
	const missing = await get(ctx, `/reports/${MISSING_CODE}`);
	eq('another OPD\'s report is 404', 404, other.status());
	eq('as is a code that does not exist', 404, missing.status());
	// The page may name the code asked for; nothing else may differ.
	eq('with the same page', (await missing.text()).split(MISSING_CODE).join('CODE'),
		(await other.text()).split(CODE_DISHUB).join('CODE'));
});

const actionForm = `form[action="/reports/${CODE_CAPIL}/action"]`;
await step('the report page for its OPD', async () => {
	const { page } = capil;
	const resp = await page.goto(`${BASE}/reports/${CODE_CAPIL}`);
	eq('GET /reports/CODE as its OPD is 200', 200, resp.status());
	await secureHeaders('/reports/CODE (OPD)', resp);
	check('the code is in the h1', (await page.locator('h1').first().innerText()).includes(CODE_CAPIL));
	check('an action form', await page.locator(actionForm).count() > 0);
	const values = await page.locator(`${actionForm} [name=action]`).evaluateAll((els) =>
		els.flatMap((e) => e.tagName === 'SELECT'
			? [...e.options].map((o) => o.value) : [e.value]));
	for (const v of ['acknowledge', 'progress', 'resolve', 'reject'])
		check(`action ${v} is offered`, values.includes(v), values.join(','));
	check('a note field', await page.locator(`${actionForm} textarea[name=note]`).count() > 0);
	check('a CSRF token', await csrfOf(page, actionForm));
	eq('no unseal form for an OPD', 0,
		await page.locator('form[action$="/unseal"]').count());
	eq('no reporter number', '', noNumbers(await resp.text()));
});

await step('actions without a valid CSRF token', async () => {
	const { page, ctx } = capil;
	const csrf = await csrfOf(page, actionForm);
	const path = `/reports/${CODE_CAPIL}/action`;
	const before = dbState(CODE_CAPIL);
	let r = await postForm(ctx, path, { action: 'acknowledge', note: 'tanpa token' });
	eq('an action without CSRF is 403', 403, r.status());
	r = await postForm(ctx, path, { action: 'acknowledge', note: 'token salah', csrf: 'salah' + csrf });
	eq('an action with a wrong CSRF is 403', 403, r.status());
	unchanged('and the report did not change', before, CODE_CAPIL);
	await page.goto(`${BASE}/reports/${CODE_CAPIL}`);
	check('the page does not say it was acknowledged',
		!ACKNOWLEDGED.test(await textOutsideForms(page)));
	const dBefore = dbState(CODE_DISHUB);
	r = await postForm(ctx, `/reports/${CODE_DISHUB}/action`,
		{ action: 'acknowledge', note: 'bukan laporan kami', csrf });
	eq('an action on another OPD\'s report is 404', 404, r.status());
	unchanged('and that report did not change', dBefore, CODE_DISHUB);
});

await step('acknowledge', async () => {
	const { page } = capil;
	await page.goto(`${BASE}/reports/${CODE_CAPIL}`);
	await page.fill(`${actionForm} textarea[name=note]`, 'Sedang kami periksa di loket');
	const select = page.locator(`${actionForm} select[name=action]`);
	let button;
	if (await select.count() > 0) {
		await select.selectOption('acknowledge');
		button = page.locator(`${actionForm} button:not([type=button]):not([type=reset]):not([name=action]), ` +
			`${actionForm} input[type=submit]:not([name=action])`).first();
	} else {
		button = page.locator(`${actionForm} [name=action][value=acknowledge]`).first();
	}
	const resp = await finalResponse(await submit(page, `/reports/${CODE_CAPIL}/action`, button));
	check('the action is accepted', resp.status() < 400, `status ${resp.status()}`);
	check('the page then shows "diterima oleh OPD"',
		ACKNOWLEDGED.test(await textOutsideForms(page)));
	if (process.env.DATABASE)
		check('the report is acknowledged', dbState(CODE_CAPIL).startsWith('acknowledged|'),
			dbState(CODE_CAPIL));
	await shot(page, 'opd-report-acknowledged.png', true);
});

// 4b. The head resolves it with a note; the mayor closes it.
await step('resolve, then the mayor closes it', async () => {
	const { page } = capil;
	await page.goto(`${BASE}/reports/${CODE_CAPIL}`);
	await page.locator(`${actionForm} select[name=action]`).selectOption('resolve');
	await page.fill(`${actionForm} textarea[name=note]`, 'Petugas loket sudah ditegur');
	eq('SELESAI from the page is 303', 303, (await submit(page,
		`/reports/${CODE_CAPIL}/action`, `${actionForm} button[type=submit]`)).status());
	if (process.env.DATABASE)
		check('the report is resolved', dbState(CODE_CAPIL).startsWith('resolved|'), dbState(CODE_CAPIL));
	const close = `form[action="/reports/${CODE_CAPIL}/close"]`;
	eq('an OPD head has no close form', 0, await page.locator(close).count());
	eq('nor may post one', 403,
		(await postForm(capil.ctx, `/reports/${CODE_CAPIL}/close`, { csrf: await csrfOf(page, actionForm) })).status());
	const m = mayor.page;
	await m.goto(`${BASE}/reports/${CODE_CAPIL}`);
	eq('the mayor has a close form', 1, await m.locator(close).count());
	eq('closing is 303', 303, (await submit(m,
		`/reports/${CODE_CAPIL}/close`, `${close} button[type=submit]`)).status());
	if (process.env.DATABASE)
		check('the report is closed', dbState(CODE_CAPIL).startsWith('closed|'), dbState(CODE_CAPIL));
	eq('and offers no close form any more', 0, await m.locator(close).count());
});

// 5. The head of Dishub sees its own report, not Dispendukcapil's.
await step('kadis_dishub', async () => {
	const { page } = dishub;
	const resp = await login(page, 'kadis_dishub', OPD_PASS);
	eq('kadis_dishub logs in to /opd', '/opd', pathOf((await resp.allHeaders()).location || ''));
	await sessionCookie(dishub.ctx);
	const r = await page.goto(BASE + '/opd');
	const html = await r.text();
	check(`lists ${CODE_DISHUB}`, html.includes(CODE_DISHUB));
	check(`not ${CODE_CAPIL}`, !html.includes(CODE_CAPIL));
	eq(`GET /reports/${CODE_CAPIL} as Dishub is 404`, 404,
		(await get(dishub.ctx, `/reports/${CODE_CAPIL}`)).status());
});

// 5b. Dishub sends its report back; the triage team forwards it.
await step('TOLAK, then forwarding from triage', async () => {
	const { page } = dishub;
	const form = `form[action="/reports/${CODE_DISHUB}/action"]`;
	await page.goto(`${BASE}/reports/${CODE_DISHUB}`);
	await page.locator(`${form} select[name=action]`).selectOption('reject');
	await page.fill(`${form} textarea[name=note]`, 'parkir di terminal milik Satpol PP');
	eq('TOLAK from the page is 303', 303, (await submit(page,
		`/reports/${CODE_DISHUB}/action`, `${form} button[type=submit]`)).status());
	eq('then the report is no longer Dishub\'s', 404,
		(await get(dishub.ctx, `/reports/${CODE_DISHUB}`)).status());
	if (process.env.DATABASE)
		check('it waits in triage', dbState(CODE_DISHUB).startsWith('triage|'), dbState(CODE_DISHUB));

	const t = triage.page;
	const resp = await login(t, 'inspektur', OPD_PASS);
	eq('the triage team logs in to /opd', '/opd', pathOf((await resp.allHeaders()).location || ''));
	await sessionCookie(triage.ctx);
	check(`its /opd lists ${CODE_DISHUB}`, (await (await t.goto(BASE + '/opd')).text()).includes(CODE_DISHUB));
	await t.goto(`${BASE}/reports/${CODE_DISHUB}`);
	const route = `form[action="/reports/${CODE_DISHUB}/route"]`;
	eq('the report page has a form to forward it', 1, await t.locator(route).count());
	eq('which does not offer the triage team itself', 0,
		await t.locator(`${route} option[value=inspektorat]`).count());
	let r = await postForm(triage.ctx, `/reports/${CODE_DISHUB}/route`, { opd: 'satpol_pp', csrf: 'salah' });
	eq('forwarding with a wrong CSRF is 403', 403, r.status());
	await t.locator(`${route} select[name=opd]`).selectOption('satpol_pp');
	eq('forwarding is 303', 303, (await submit(t,
		`/reports/${CODE_DISHUB}/route`, `${route} button[type=submit]`)).status());
	eq('then the report is no longer the triage team\'s', 404,
		(await get(triage.ctx, `/reports/${CODE_DISHUB}`)).status());
	if (process.env.DATABASE) {
		const row = sql(`select status || '|' || opd from reports where code = '${CODE_DISHUB}'`).trim();
		eq('it is routed to Satpol PP', 'routed|satpol_pp', row);
	}
	r = await get(mayor.ctx, `/reports/${CODE_DISHUB}`);
	const html = await r.text();
	check('the mayor sees both steps in its history', html.includes('reject') && html.includes('route'));
});

// 6. Logout ends the session on the server.
await step('logout', async () => {
	const { page, ctx } = capil;
	await page.goto(BASE + '/opd');
	const form = 'form[action="/logout"]';
	eq('the page header has a logout form', 1, await page.locator(form).count());
	eq('posting', 'post', ((await page.locator(form).getAttribute('method')) || '').toLowerCase());
	const csrf = await csrfOf(page, form);
	check('with a CSRF token', csrf);
	const old = (await sessionCookie(ctx)).value;
	let r = await postForm(ctx, '/logout', { csrf: 'salah' + csrf });
	eq('a logout with a wrong CSRF is 403', 403, r.status());
	eq('and the session goes on', 200, (await get(ctx, '/opd')).status());
	const resp = await submit(page, '/logout', submitButton(form));
	eq('POST /logout is 303', 303, resp.status());
	eq('to /login', '/login', pathOf((await resp.allHeaders()).location || ''));
	const raw = await pwRequest.newContext({ extraHTTPHeaders: { Cookie: `hl_session=${old}` } });
	r = await raw.get(BASE + '/opd', { maxRedirects: 0 });
	eq('the old cookie on /opd is 303', 303, r.status());
	eq('to /login', '/login', pathOf(r.headers().location || ''));
	await raw.dispose();
	eq('the mayor is still logged in', 200, (await get(mayor.ctx, '/mayor')).status());
});

await done();
