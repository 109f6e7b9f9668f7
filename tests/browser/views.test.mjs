// The web views as their users see them: Debian's headless Chromium, driven
// by playwright-core, against a running `hotline serve` (tests/browser/run.sh
// starts it, adds the users and seeds two reports).  One browser context per
// user; context.request for raw statuses and headers (it shares the
// context's cookies).  Prints "ok - ..." / "not ok - ..." lines and a count.
//
// Environment:
//   BASE_URL      http://127.0.0.1:PORT
//   CODE_CAPIL    a report routed to Dispendukcapil, from NUMBER_CAPIL
//   CODE_DISHUB   a report routed to Dishub, from NUMBER_DISHUB
//   NUMBER_CAPIL, NUMBER_DISHUB   the reporters' numbers (08...)
//   MAYOR_PASS    walikota's password (the mayor key's passphrase)
//   OPD_PASS      kadis_capil's and kadis_dishub's password
//   ARTIFACTS     folder for the screenshots
//   UNSEAL_REASON the reason given to unseal CODE_CAPIL (run.sh checks the
//                 audit log for it)
//   DATABASE      optional: the SQLite database, to see that refused
//                 posts changed nothing
//   RESULT_FILE   optional: "PASS FAIL" is written there
//   TOKENS_FILE   optional: session cookies and CSRF tokens seen, one a
//                 line, for run.sh to look for in the log
//   CHROMIUM      optional: the browser (default /usr/bin/chromium)
import { chromium, request as pwRequest } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function need(name) {
	const v = process.env[name];
	if (!v) {
		console.error(`views.test.mjs: set ${name}`);
		process.exit(2);
	}
	return v;
}
const BASE = need('BASE_URL').replace(/\/$/, '');
const CODE_CAPIL = need('CODE_CAPIL');
const CODE_DISHUB = need('CODE_DISHUB');
const MAYOR_PASS = need('MAYOR_PASS');
const OPD_PASS = need('OPD_PASS');
const ARTIFACTS = process.env.ARTIFACTS || 'build/artifacts/browser';
const REASON = process.env.UNSEAL_REASON ||
	'Verifikasi pelapor atas permintaan Inspektorat';
const NUMBER_CAPIL = process.env.NUMBER_CAPIL || '081234567890';
const NUMBER_DISHUB = process.env.NUMBER_DISHUB || '081234567891';
const MISSING_CODE = 'KDR-222222';
mkdirSync(ARTIFACTS, { recursive: true });

// Every way a reporter's number may be written.
function forms(local) {
	const digits = local.replace(/^0/, '');
	return [`62${digits}`, digits];
}
const NUMBERS = [...forms(NUMBER_CAPIL), ...forms(NUMBER_DISHUB)];
const IDENTITY_CAPIL = `+62${NUMBER_CAPIL.replace(/^0/, '')}`;

// --- counting -------------------------------------------------------------
let pass = 0, fail = 0;
const tokens = new Set();
function ok(what) { pass++; console.log(`ok - ${what}`); }
function notOk(what, why) {
	fail++;
	console.log(`not ok - ${what}${why ? ` (${why})` : ''}`);
}
function check(what, cond, why) {
	if (cond) ok(what); else notOk(what, why);
	return !!cond;
}
function eq(what, expected, actual) {
	return check(what, expected === actual,
		`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
// One step: an exception (a missing element, a time-out) fails the step
// and the run goes on with the next one.
async function step(what, fn) {
	try {
		await fn();
	} catch (e) {
		notOk(what, String(e && e.message || e).split('\n')[0]);
	}
}
function noNumbers(text) {
	const found = NUMBERS.filter((n) => text.includes(n));
	return found.length ? `contains ${found.join(', ')}` : '';
}
function pathOf(location) {
	try { return new URL(location, BASE).pathname; } catch { return location; }
}

// --- HTTP helpers -----------------------------------------------------------
// A raw form POST as a browser would send it (with Origin), no redirects.
async function postForm(ctx, path, form) {
	return ctx.request.post(BASE + path, {
		form, maxRedirects: 0, headers: { Origin: BASE },
	});
}
async function get(ctx, path) {
	return ctx.request.get(BASE + path, { maxRedirects: 0 });
}
// The headers every authenticated page carries.
async function secureHeaders(what, resp) {
	const h = await resp.allHeaders();
	const csp = h['content-security-policy'] || '';
	check(`${what}: CSP has default-src 'none'`, csp.includes("default-src 'none'"), csp);
	check(`${what}: CSP has frame-ancestors 'none'`, csp.includes("frame-ancestors 'none'"), csp);
	eq(`${what}: X-Content-Type-Options`, 'nosniff',
		(h['x-content-type-options'] || '').toLowerCase());
	eq(`${what}: X-Frame-Options`, 'DENY', (h['x-frame-options'] || '').toUpperCase());
	check(`${what}: Cache-Control no-store`,
		/\bno-store\b/.test(h['cache-control'] || ''), h['cache-control']);
}
async function noScript(what, resp) {
	check(`${what}: no <script>`, !/<script/i.test(await resp.text()));
}
// The response a navigation ended on, after any redirects.
async function finalResponse(resp) {
	let req = resp.request();
	while (req.redirectedTo()) req = req.redirectedTo();
	return (await req.response()) || resp;
}
// What the page says, less its forms (whose labels may name any status).
async function textOutsideForms(page) {
	return page.evaluate(() => {
		const b = document.body.cloneNode(true);
		b.querySelectorAll('form').forEach((f) => f.remove());
		return b.innerText;
	});
}
const ACKNOWLEDGED = /diterima oleh OPD|\backnowledged\b/i;
async function shot(page, name, fullPage = false) {
	await page.screenshot({ path: join(ARTIFACTS, name), fullPage });
}
async function csrfOf(page, formSelector) {
	const v = await page.locator(`${formSelector} input[type=hidden][name=csrf]`)
		.first().getAttribute('value');
	if (v) tokens.add(v);
	return v;
}
async function sessionCookie(ctx) {
	const c = (await ctx.cookies(BASE)).find((k) => k.name === 'hl_session');
	if (c) tokens.add(c.value);
	return c;
}
// The report's row and the history, to see that a refused post changed
// nothing (when run.sh gives the database).
function dbState(code) {
	if (!process.env.DATABASE) return null;
	return execFileSync('sqlite3', [process.env.DATABASE,
		`select status, coalesce(acknowledged_at, '') from reports where code = '${code}';` +
		'select count(*) from history;'], { encoding: 'utf8' });
}
function unchanged(what, before, code) {
	if (before === null) return;
	eq(what, before, dbState(code));
}

// Log in through the form; returns the POST's own response (303 or 401).
async function login(page, user, password) {
	await page.goto(BASE + '/login');
	await page.fill('form[action="/login"] input[name=username]', user);
	await page.fill('form[action="/login"] input[name=password]', password);
	const posted = page.waitForResponse((r) =>
		pathOf(r.url()) === '/login' && r.request().method() === 'POST');
	await page.click('form[action="/login"] button:not([type=button]):not([type=reset]), ' +
		'form[action="/login"] input[type=submit]');
	const resp = await posted;
	await page.waitForLoadState('load');
	return resp;
}

// --- the run ------------------------------------------------------------------
const watchdog = setTimeout(() => {
	notOk('the run finished within 180 s');
	finish();
}, 180000);

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	// Root in CI: no sandbox.  The machine has no network: no background
	// connections of Chromium's own.
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
		'--disable-background-networking', '--disable-component-update',
		'--disable-sync', '--no-first-run'],
});
async function newUser() {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	ctx.setDefaultTimeout(3000);
	ctx.setDefaultNavigationTimeout(10000);
	const page = await ctx.newPage();
	return { ctx, page };
}
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
	check('and a submit button', await page.locator(
		`${form} button:not([type=button]):not([type=reset]), ${form} input[type=submit]`).count() > 0);
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
});

await step('the unseal', async () => {
	const { page } = mayor;
	await page.goto(`${BASE}/reports/${CODE_CAPIL}`);
	await page.fill(`${unsealForm} textarea[name=reason]`, REASON);
	const posted = page.waitForResponse((r) =>
		pathOf(r.url()) === `/reports/${CODE_CAPIL}/unseal` && r.request().method() === 'POST');
	await page.click(`${unsealForm} button:not([type=button]):not([type=reset]), ` +
		`${unsealForm} input[type=submit]`);
	const resp = await finalResponse(await posted);
	await page.waitForLoadState('load');
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
	let submit;
	if (await select.count() > 0) {
		await select.selectOption('acknowledge');
		submit = page.locator(`${actionForm} button:not([type=button]):not([type=reset]):not([name=action]), ` +
			`${actionForm} input[type=submit]:not([name=action])`).first();
	} else {
		submit = page.locator(`${actionForm} [name=action][value=acknowledge]`).first();
	}
	const posted = page.waitForResponse((r) =>
		pathOf(r.url()) === `/reports/${CODE_CAPIL}/action` && r.request().method() === 'POST');
	await submit.click();
	const resp = await finalResponse(await posted);
	await page.waitForLoadState('load');
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
	let posted = page.waitForResponse((r) =>
		pathOf(r.url()) === `/reports/${CODE_CAPIL}/action` && r.request().method() === 'POST');
	await page.click(`${actionForm} button[type=submit]`);
	eq('SELESAI from the page is 303', 303, (await posted).status());
	await page.waitForLoadState('load');
	if (process.env.DATABASE)
		check('the report is resolved', dbState(CODE_CAPIL).startsWith('resolved|'), dbState(CODE_CAPIL));
	const close = `form[action="/reports/${CODE_CAPIL}/close"]`;
	eq('an OPD head has no close form', 0, await page.locator(close).count());
	eq('nor may post one', 403,
		(await postForm(capil.ctx, `/reports/${CODE_CAPIL}/close`, { csrf: await csrfOf(page, actionForm) })).status());
	const m = mayor.page;
	await m.goto(`${BASE}/reports/${CODE_CAPIL}`);
	eq('the mayor has a close form', 1, await m.locator(close).count());
	posted = m.waitForResponse((r) =>
		pathOf(r.url()) === `/reports/${CODE_CAPIL}/close` && r.request().method() === 'POST');
	await m.click(`${close} button[type=submit]`);
	eq('closing is 303', 303, (await posted).status());
	await m.waitForLoadState('load');
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
	let posted = page.waitForResponse((r) =>
		pathOf(r.url()) === `/reports/${CODE_DISHUB}/action` && r.request().method() === 'POST');
	await page.click(`${form} button[type=submit]`);
	eq('TOLAK from the page is 303', 303, (await posted).status());
	await page.waitForLoadState('load');
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
	posted = t.waitForResponse((x) =>
		pathOf(x.url()) === `/reports/${CODE_DISHUB}/route` && x.request().method() === 'POST');
	await t.click(`${route} button[type=submit]`);
	eq('forwarding is 303', 303, (await posted).status());
	await t.waitForLoadState('load');
	eq('then the report is no longer the triage team\'s', 404,
		(await get(triage.ctx, `/reports/${CODE_DISHUB}`)).status());
	if (process.env.DATABASE) {
		const row = execFileSync('sqlite3', [process.env.DATABASE,
			`select status || '|' || opd from reports where code = '${CODE_DISHUB}'`],
		{ encoding: 'utf8' }).trim();
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
	const posted = page.waitForResponse((x) =>
		pathOf(x.url()) === '/logout' && x.request().method() === 'POST');
	await page.click(`${form} button:not([type=button]):not([type=reset]), ${form} input[type=submit]`);
	const resp = await posted;
	await page.waitForLoadState('load');
	eq('POST /logout is 303', 303, resp.status());
	eq('to /login', '/login', pathOf((await resp.allHeaders()).location || ''));
	const raw = await pwRequest.newContext({ extraHTTPHeaders: { Cookie: `hl_session=${old}` } });
	r = await raw.get(BASE + '/opd', { maxRedirects: 0 });
	eq('the old cookie on /opd is 303', 303, r.status());
	eq('to /login', '/login', pathOf(r.headers().location || ''));
	await raw.dispose();
	eq('the mayor is still logged in', 200, (await get(mayor.ctx, '/mayor')).status());
});

await browser.close();
finish();

function finish() {
	clearTimeout(watchdog);
	if (process.env.RESULT_FILE)
		writeFileSync(process.env.RESULT_FILE, `${pass} ${fail}\n`);
	if (process.env.TOKENS_FILE)
		writeFileSync(process.env.TOKENS_FILE, [...tokens].filter((t) => t.length >= 8).join('\n') + '\n');
	console.log(`views.test.mjs: ${pass} ok, ${fail} not ok`);
	process.exit(fail === 0 ? 0 : 1);
}
