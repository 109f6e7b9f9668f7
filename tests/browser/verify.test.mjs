// Verification mode ([routing] verify = yes) as its users see it, in
// Debian's headless Chromium: every new report waits at the verifier
// (inspektur, of Inspektorat), who reads it masked and forwards it to an
// OPD with a summary, or closes it as no report.  That OPD then reads the
// summary only, never the citizen's words; another OPD does not see the
// report at all; the mayor reads both.  tests/browser/run.sh reloads the
// daemon in verification mode and seeds the two reports; the helpers are
// lib.mjs's.
//
// Environment (and lib.mjs's: BASE_URL, ARTIFACTS, RESULT_FILE,
// TOKENS_FILE, CHROMIUM):
//   CODE_FORWARD  a verifying report about Dispendukcapil's counter,
//                 FORWARD_TEXT, in which the reporter gives their name,
//                 FORWARD_NAME
//   CODE_DISMISS  another verifying report, which the verifier closes
//   SUMMARY       the summary the verifier writes for CODE_FORWARD
//   NUMBERS       the reporters' numbers (08..., separated by spaces): no
//                 page may show any
//   MAYOR_PASS    walikota's password
//   OPD_PASS      inspektur's, kadis_capil's and kadis_dishub's password
//   DATABASE      the SQLite database: what each post changed
import {
	BASE, need, check, eq, step, numberFinder, pathOf, postForm, get,
	secureHeaders, noScript, finalResponse, textOutsideForms, shot, csrfOf,
	sessionCookie, sql, submit, login, launch, newUser, done,
} from './lib.mjs';

const CODE_FORWARD = need('CODE_FORWARD');
const CODE_DISMISS = need('CODE_DISMISS');
const FORWARD_TEXT = need('FORWARD_TEXT');
const FORWARD_NAME = need('FORWARD_NAME');
const SUMMARY = need('SUMMARY');
const MAYOR_PASS = need('MAYOR_PASS');
const OPD_PASS = need('OPD_PASS');
need('DATABASE');
const DISMISS_REASON = 'Sudah dilaporkan lewat kanal sekolah; bukan laporan baru';

const noNumbers = numberFinder(need('NUMBERS').split(/\s+/).filter(Boolean));
// The citizen's words the OPD may never read: the name, and any three
// words of the text in a row.
const WORDS = FORWARD_TEXT.split(/\s+/);
const RAW_PARTS = [FORWARD_NAME,
	...WORDS.slice(2).map((_, i) => WORDS.slice(i, i + 3).join(' '))];
function rawIn(text) {
	const t = text.toLowerCase();
	const found = RAW_PARTS.filter((p) => t.includes(p.toLowerCase()));
	return found.length ? `contains "${found.join('", "')}"` : '';
}
// What the verifier reads: the text up to the name, the name masked.
const BEFORE_NAME = FORWARD_TEXT.slice(0, FORWARD_TEXT.indexOf(FORWARD_NAME)).trim();

const page = (code) => `${BASE}/reports/${code}`;
const verifyPath = (code) => `/reports/${code}/verify`;
const verifyForms = (code) => `form[action="${verifyPath(code)}"]`;
const forwardForm = (code) =>
	`${verifyForms(code)}:has(input[type=hidden][name=decision][value=forward])`;
const dismissForm = (code) =>
	`${verifyForms(code)}:has(input[type=hidden][name=decision][value=dismiss])`;
// A report's row, with the counts of history and audit rows: what a
// refused post may not change.
function state(code) {
	return sql(`select status, opd, coalesce(summary, '') from reports where code = '${code}';` +
		'select count(*) from history; select count(*) from audit;');
}
function row(code) {
	return sql(`select status || '|' || opd || '|' || coalesce(summary, '') ` +
		`from reports where code = '${code}'`).trim();
}
function audited(action, code) {
	return sql(`select actor || '|' || coalesce(reason, '') from audit ` +
		`where action = '${action}' and report_code = '${code}'`).trim();
}
// The status as the page says it (the facts table's first row).
async function statusWords(p) {
	return p.locator('table.facts tr:has(th:text-is("Status")) td').innerText();
}

// --- the run ------------------------------------------------------------------
await launch(180);
const verifier = await newUser();
const capil = await newUser();
const dishub = await newUser();
const mayor = await newUser();

await step('everyone logs in', async () => {
	for (const [who, user, password, home] of [[verifier, 'inspektur', OPD_PASS, '/opd'],
		[capil, 'kadis_capil', OPD_PASS, '/opd'], [dishub, 'kadis_dishub', OPD_PASS, '/opd'],
		[mayor, 'walikota', MAYOR_PASS, '/mayor']]) {
		const resp = await login(who.page, user, password);
		eq(`${user} logs in to ${home}`, home, pathOf((await resp.allHeaders()).location || ''));
		await sessionCookie(who.ctx);
	}
});

// 1. The verifier: the report masked, and the two forms.
await step('the verifier\'s list', async () => {
	const resp = await verifier.page.goto(BASE + '/opd');
	const html = await resp.text();
	check(`/opd lists ${CODE_FORWARD} and ${CODE_DISMISS}`,
		html.includes(CODE_FORWARD) && html.includes(CODE_DISMISS));
	eq('no reporter number', '', noNumbers(html));
});

await step('the verifying report for the verifier', async () => {
	const p = verifier.page;
	const resp = await p.goto(page(CODE_FORWARD));
	eq('GET /reports/CODE as the verifier is 200', 200, resp.status());
	await secureHeaders('/reports/CODE (verifier)', resp);
	await noScript('/reports/CODE (verifier)', resp);
	const html = await resp.text();
	check('the code is in the h1', (await p.locator('h1').first().innerText()).includes(CODE_FORWARD));
	eq('the status is "sedang diverifikasi"', 'sedang diverifikasi', await statusWords(p));
	const text = await p.locator('p.text').first().innerText();
	check('the report\'s text is shown', text.includes(BEFORE_NAME), text);
	check('masked: the name the reporter gave is not', !html.includes(FORWARD_NAME) &&
		/disamarkan/.test(text), text);
	eq('no reporter number', '', noNumbers(html));

	eq('two forms post to /verify', 2, await p.locator(verifyForms(CODE_FORWARD)).count());
	const fwd = forwardForm(CODE_FORWARD);
	eq('one forwards (decision=forward)', 1, await p.locator(fwd).count());
	eq('with a summary field', 1, await p.locator(`${fwd} textarea[name=summary]`).count());
	check('labelled "Ringkasan untuk OPD"',
		(await p.locator('label[for=summary]').innerText()).includes('Ringkasan untuk OPD'));
	eq('an OPD to choose (#verify-opd)', 'opd',
		await p.locator(`${fwd} select#verify-opd`).getAttribute('name'));
	eq('the OPD the router proposed is chosen', 'dispendukcapil',
		await p.locator(`${fwd} select[name=opd] option[selected]`).getAttribute('value'));
	check('a CSRF token', await csrfOf(p, fwd));
	eq('a button "Teruskan dengan ringkasan"', 1,
		await p.locator(fwd).getByRole('button', { name: 'Teruskan dengan ringkasan' }).count());
	const dis = dismissForm(CODE_FORWARD);
	eq('one closes it (decision=dismiss)', 1, await p.locator(dis).count());
	eq('with a reason field', 1, await p.locator(`${dis} textarea[name=note]`).count());
	check('a CSRF token', await csrfOf(p, dis));
	eq('a button "Tutup: bukan laporan"', 1,
		await p.locator(dis).getByRole('button', { name: 'Tutup: bukan laporan' }).count());
	eq('no action, route or unseal form', 0, await p.locator(
		'form[action$="/action"], form[action$="/route"], form[action$="/unseal"]').count());
	await shot(p, 'verify-verifier.png', true);
});

// 2. Nobody else may verify; a forward needs a summary and an OPD.
await step('what only the verifier may do', async () => {
	const before = state(CODE_FORWARD);
	eq(`the proposed OPD does not see ${CODE_FORWARD} before it is forwarded`, 404,
		(await get(capil.ctx, `/reports/${CODE_FORWARD}`)).status());
	await capil.page.goto(BASE + '/opd');
	const csrf = await csrfOf(capil.page, 'form[action="/logout"]');
	let r = await postForm(capil.ctx, verifyPath(CODE_FORWARD),
		{ decision: 'forward', summary: SUMMARY, opd: 'dispendukcapil', csrf });
	eq('another OPD posting /verify is 403', 403, r.status());
	await mayor.page.goto(BASE + '/mayor');
	r = await postForm(mayor.ctx, verifyPath(CODE_FORWARD), {
		decision: 'forward', summary: SUMMARY, opd: 'dispendukcapil',
		csrf: await csrfOf(mayor.page, 'form[action="/logout"]'),
	});
	eq('the mayor posting /verify is 403', 403, r.status());
	r = await postForm(verifier.ctx, verifyPath(CODE_FORWARD),
		{ decision: 'forward', summary: SUMMARY, opd: 'dispendukcapil' });
	eq('a forward without CSRF is 403', 403, r.status());
	eq('and the report did not change', before, state(CODE_FORWARD));
});

await step('a forward without a summary', async () => {
	const p = verifier.page;
	const fwd = forwardForm(CODE_FORWARD);
	const before = state(CODE_FORWARD);
	await p.goto(page(CODE_FORWARD));
	check('the browser asks for the summary first', await p.locator(`${fwd} textarea[name=summary]`)
		.evaluate((e) => e.required && e.validity.valueMissing));
	// A browser that does not check: the daemon refuses it.
	await p.locator(fwd).evaluate((f) => { f.noValidate = true; });
	const resp = await submit(p, verifyPath(CODE_FORWARD),
		p.locator(fwd).getByRole('button', { name: 'Teruskan dengan ringkasan' }));
	check('an empty summary is refused', resp.status() >= 400 && resp.status() < 500,
		`status ${resp.status()}`);
	const notice = p.locator('[role=status]');
	await notice.waitFor();
	check('the page says "Tulis ringkasan"', (await notice.innerText()).includes('Tulis ringkasan'),
		await notice.innerText());
	eq('the forward form is offered again', 1, await p.locator(fwd).count());
	eq('the report is still verifying, unchanged', before, state(CODE_FORWARD));
	check('status verifying', row(CODE_FORWARD).startsWith('verifying|inspektorat|'), row(CODE_FORWARD));

	const csrf = await csrfOf(p, fwd);
	let r = await postForm(verifier.ctx, verifyPath(CODE_FORWARD),
		{ decision: 'forward', summary: ' \r\n\t ', opd: 'dispendukcapil', csrf });
	const body = await r.text();
	check('a blank summary is refused too', r.status() >= 400 && body.includes('Tulis ringkasan'),
		`status ${r.status()}`);
	r = await postForm(verifier.ctx, verifyPath(CODE_FORWARD),
		{ decision: 'forward', summary: SUMMARY, opd: 'tidak_ada', csrf });
	check('an OPD that does not exist is refused', r.status() >= 400 &&
		(await r.text()).includes('Pilih OPD tujuan'), `status ${r.status()}`);
	r = await postForm(verifier.ctx, verifyPath(CODE_FORWARD),
		{ decision: 'teruskan', summary: SUMMARY, opd: 'dispendukcapil', csrf });
	eq('an unknown decision is 400', 400, r.status());
	eq('none of them changed the report', before, state(CODE_FORWARD));
});

// 3. The forward, with the summary, to the OPD proposed.
await step('the verifier forwards it with a summary', async () => {
	const p = verifier.page;
	const fwd = forwardForm(CODE_FORWARD);
	await p.goto(page(CODE_FORWARD));
	await p.fill(`${fwd} textarea[name=summary]`, SUMMARY);
	const resp = await submit(p, verifyPath(CODE_FORWARD),
		p.locator(fwd).getByRole('button', { name: 'Teruskan dengan ringkasan' }));
	eq('forwarding is 303', 303, resp.status());
	eq('back to the verifier\'s queue', '/opd', pathOf((await resp.allHeaders()).location || ''));
	// The report is no longer the verifier's OPD's: its queue is shown.
	const after = await finalResponse(resp);
	eq('which shows', 200, after.status());
	eq('and the report is no longer the verifier\'s', 404,
		(await get(verifier.ctx, `/reports/${CODE_FORWARD}`)).status());
	eq('no reporter number', '', noNumbers(await after.text()));
	check(`nor on the verifier's /opd`,
		!(await (await get(verifier.ctx, '/opd')).text()).includes(CODE_FORWARD));
	eq('the report is routed to Dispendukcapil with the summary',
		`routed|dispendukcapil|${SUMMARY}`, row(CODE_FORWARD));
	eq('the audit log keeps the summary', `web:inspektur|${SUMMARY}`, audited('summary', CODE_FORWARD));
});

// 4. The OPD reads the summary, never the citizen's words.
await step('the forwarded report for its OPD', async () => {
	const p = capil.page;
	const list = await (await p.goto(BASE + '/opd')).text();
	check(`kadis_capil's /opd lists ${CODE_FORWARD}`, list.includes(CODE_FORWARD));
	check(`not ${CODE_DISMISS}`, !list.includes(CODE_DISMISS));
	const resp = await p.goto(page(CODE_FORWARD));
	eq('GET /reports/CODE as its OPD is 200', 200, resp.status());
	await secureHeaders('/reports/CODE (summary only)', resp);
	await noScript('/reports/CODE (summary only)', resp);
	eq('the status is "diteruskan ke OPD"', 'diteruskan ke OPD', await statusWords(p));
	const heads = await p.locator('h2').allInnerTexts();
	check('a section "Ringkasan verifikator"', heads.includes('Ringkasan verifikator'), heads.join(' | '));
	const summary = await p.locator('h2:text-is("Ringkasan verifikator") + p.text').innerText();
	eq('with the summary', SUMMARY, summary);
	const html = await resp.text();
	const text = await p.locator('body').innerText();
	eq('none of the citizen\'s words on the page', '', rawIn(text));
	eq('nor in its HTML', '', rawIn(html));
	for (const h of ['Isi laporan', 'Keterangan dari pelapor', 'Penentuan tujuan'])
		check(`no "${h}"`, !text.includes(h) && !html.includes(h));
	eq('no reporter number', '', noNumbers(html));
	check('the OPD can act on it', await p.locator(`form[action="/reports/${CODE_FORWARD}/action"]`)
		.count() === 1);
	eq('but not verify it', 0, await p.locator(verifyForms(CODE_FORWARD)).count());
	await shot(p, 'verify-opd.png', true);
});

await step('another OPD', async () => {
	for (const code of [CODE_FORWARD, CODE_DISMISS])
		eq(`GET /reports/${code} as Dishub is 404`, 404,
			(await get(dishub.ctx, `/reports/${code}`)).status());
	const list = await (await dishub.page.goto(BASE + '/opd')).text();
	check('nor does Dishub\'s /opd list them',
		!list.includes(CODE_FORWARD) && !list.includes(CODE_DISMISS));
});

await step('the mayor reads both', async () => {
	const p = mayor.page;
	const resp = await p.goto(page(CODE_FORWARD));
	eq('GET /reports/CODE as the mayor is 200', 200, resp.status());
	const heads = await p.locator('h2').allInnerTexts();
	check('"Isi laporan" and "Ringkasan verifikator"',
		heads.includes('Isi laporan') && heads.includes('Ringkasan verifikator'), heads.join(' | '));
	const text = await textOutsideForms(p);
	check('the whole text', text.includes(FORWARD_TEXT));
	check('and the summary', text.includes(SUMMARY));
	eq('no reporter number', '', noNumbers(await resp.text()));
	await shot(p, 'verify-mayor.png', true);
});

// 5. The verifier closes the other report: not a report.
await step('the verifier dismisses a report', async () => {
	const p = verifier.page;
	const dis = dismissForm(CODE_DISMISS);
	const before = state(CODE_DISMISS);
	await p.goto(page(CODE_DISMISS));
	const csrf = await csrfOf(p, dis);
	const r = await postForm(verifier.ctx, verifyPath(CODE_DISMISS),
		{ decision: 'dismiss', note: '  ', csrf });
	check('without a reason it is refused', r.status() >= 400 &&
		(await r.text()).includes('Tulis alasan'), `status ${r.status()}`);
	eq('and the report did not change', before, state(CODE_DISMISS));
	await p.fill(`${dis} textarea[name=note]`, DISMISS_REASON);
	const resp = await submit(p, verifyPath(CODE_DISMISS),
		p.locator(dis).getByRole('button', { name: 'Tutup: bukan laporan' }));
	eq('dismissing is 303', 303, resp.status());
	eq('the report is closed, still the verifier\'s', 'closed|inspektorat|', row(CODE_DISMISS));
	eq('the audit log keeps the reason', `web:inspektur|${DISMISS_REASON}`,
		audited('dismiss', CODE_DISMISS));
	const again = await p.goto(page(CODE_DISMISS));
	eq('the verifier still reads it', 200, again.status());
	eq('as "ditutup"', 'ditutup', await statusWords(p));
	eq('with nothing more to verify', 0, await p.locator(verifyForms(CODE_DISMISS)).count());
	eq('no reporter number', '', noNumbers(await again.text()));
	eq('its OPD-to-be never sees it', 404, (await get(capil.ctx, `/reports/${CODE_DISMISS}`)).status());
});

await done();
