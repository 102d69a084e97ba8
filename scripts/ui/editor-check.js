#!/usr/bin/env node
'use strict';
/**
 * The package in n8n's real editor (Chromium driven by playwright-core): what a user sees of the
 * node descriptions. Starts the fake Mattermost and a real n8n with the packed package (scripts/lib/
 * n8n-lab.js), signs in, and checks, with a screenshot each:
 *   - the trigger keeps its name when its Source changes (NDV title, canvas, "Execute workflow" button)
 *   - the Slash Command webhook URL shows no clipped "POST,GET" method badge
 *   - canvas subtitles read as words ("Send a direct message", "Slash command")
 *   - the Post picker keeps its search box when its default list (saved posts) fails
 *   - the OAuth2 credential dialog: screenshots and its field order, logged, not asserted (n8n lists
 *     the inherited oAuth2Api fields, with the Allowed HTTP Request Domains it adds to them, before
 *     the credential's own Base URL and notice)
 *
 *   node scripts/ui/editor-check.js
 *   UI_TARBALL=/path/pkg.tgz node scripts/ui/editor-check.js   # check another build (e.g. an older one)
 *   UI_SHOTS=/tmp/shots node scripts/ui/editor-check.js        # where screenshots go
 *
 * Needs Chromium (`apt-get install -y chromium`; UI_CHROMIUM overrides /usr/bin/chromium) and
 * playwright-core (`npm i --no-save playwright-core`). Exit code 1 when a check fails.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const lab = require('../lib/n8n-lab');

const { log, assert, bold, dim } = lab;

const SHOTS = path.resolve(process.env.UI_SHOTS || path.join(lab.ROOT, '.e2e', 'ui', 'editor-check'));
const CHROMIUM = process.env.UI_CHROMIUM || '/usr/bin/chromium';
const TRIGGER = lab.TRIGGER_NODE;

function loadPlaywright() {
	try {
		return require('playwright-core');
	} catch {
		throw new Error('playwright-core is missing: run `npm i --no-save playwright-core` in the project folder');
	}
}

async function launchBrowser(playwright) {
	assert(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set UI_CHROMIUM)`);
	const context = await playwright.chromium.launchPersistentContext(lab.makeTempDir('ui-chromium'), {
		executablePath: CHROMIUM,
		headless: true,
		viewport: { width: 1440, height: 900 },
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	lab.onCleanup(() => context.close().catch(() => {}));
	return { context, page: context.pages()[0] || (await context.newPage()) };
}

async function signIn(page, url, owner = lab.DEFAULT_OWNER) {
	await page.goto(`${url}/signin`);
	await page.fill('input[name=emailOrLdapLoginId]', owner.email);
	await page.fill('input[name=password]', owner.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((u) => !/\/signin/.test(String(u)), { timeout: 30000 });
}

async function shot(page, name) {
	const file = path.join(SHOTS, `${name}.png`);
	await page.screenshot({ path: file });
	log(dim(`  screenshot ${file}`));
	return file;
}

const node = (name, position, parameters, credential) => ({
	id: crypto.randomUUID(),
	name,
	type: lab.NODE_TYPE,
	typeVersion: 1,
	position,
	parameters,
	credentials: { [lab.CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
});

const triggerNode = (position, parameters, credential) => ({
	...node(TRIGGER, position, parameters, credential),
	type: lab.TRIGGER_NODE_TYPE,
	webhookId: crypto.randomUUID(),
});

async function createWorkflow(rest, name, nodes) {
	const res = await rest.post('/rest/workflows', { name, nodes, connections: {}, settings: { executionOrder: 'v1' } });
	return res.data;
}

async function openWorkflow(page, url, workflowId) {
	await page.goto(`${url}/workflow/${workflowId}`);
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 30000 });
}

async function openNode(page, name) {
	await page.dblclick(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	await page.waitForSelector('[data-test-id="ndv"]');
}

async function closeNode(page) {
	await page.click('[data-test-id="ndv-close-button"]');
	await page.waitForSelector('[data-test-id="ndv"]', { state: 'hidden' });
}

async function chooseOption(page, parameter, optionText) {
	await page.click(`[data-test-id="parameter-input-${parameter}"]`);
	await page.locator('.el-select-dropdown__item:visible', { hasText: optionText }).first().click();
}

/** The names the editor shows for the trigger: NDV title (when open), canvas node, the run button's test id. */
async function triggerNames(page) {
	const titles = await page.$$eval('[data-test-id="node-title-container"] [data-test-id="inline-edit-preview"]', (els) =>
		els.map((e) => e.textContent.trim()),
	);
	const canvas = await page.locator('[data-test-id="canvas-node"][data-node-type$=".mattermostSuiteTrigger"]').getAttribute('data-node-name');
	const runButtons = await page.$$eval('[data-test-id^="execute-workflow-button-"]', (els) => els.map((e) => e.getAttribute('data-test-id')));
	return { title: titles[0], canvas, runButtons };
}

async function main() {
	lab.installSignalHandlers();
	const t = lab.createRunner('ui: editor');
	const playwright = loadPlaywright();
	fs.mkdirSync(SHOTS, { recursive: true });

	let tarball = process.env.UI_TARBALL;
	if (!tarball) {
		await lab.ensureBuilt();
		tarball = await lab.packPackage(lab.makeTempDir('ui-pack'));
	}
	await lab.ensureN8n();
	const { userFolder } = await lab.createUserFolder({ tarball });
	const { mm, seed } = await lab.startFakeMattermost();
	const server = await lab.startN8n({ userFolder });
	const rest = await lab.setupOwner(server.url);
	const url = server.url;
	log(`n8n at ${url}, fake Mattermost at ${mm.url}, package ${path.basename(tarball)}`);

	const credential = (await rest.post('/rest/credentials', {
		name: 'Mattermost (bot)',
		type: lab.CREDENTIAL_TYPE,
		data: { accessToken: seed.tokens.bot, baseUrl: mm.url },
	})).data;
	const { page } = await launchBrowser(playwright);
	await signIn(page, url);

	await t.step('trigger: the node keeps its name whatever the Source', async () => {
		const wf = await createWorkflow(rest, 'UI: trigger name', [triggerNode([0, 0], { source: 'events' }, credential)]);
		await openWorkflow(page, url, wf.id);
		await openNode(page, TRIGGER);
		const seen = {};
		for (const [source, label] of [
			['outgoingWebhook', 'Outgoing Webhook'],
			['slashCommand', 'Slash Command'],
			['interactiveAction', 'Interactive Action'],
			['events', 'Events (WebSocket)'],
		]) {
			await chooseOption(page, 'source', label);
			await page.waitForTimeout(500);
			seen[source] = await triggerNames(page);
			if (source === 'outgoingWebhook') {
				await shot(page, 'trigger-outgoing-webhook-ndv');
				await closeNode(page);
				await shot(page, 'trigger-outgoing-webhook-canvas');
				await openNode(page, seen[source].canvas);
			}
		}
		log(dim(`  ${JSON.stringify(seen)}`));
		for (const [source, names] of Object.entries(seen)) {
			const problems = [];
			if (names.title !== TRIGGER) problems.push(`panel title "${names.title}"`);
			if (names.canvas !== TRIGGER) problems.push(`canvas node "${names.canvas}"`);
			const renamedButton = names.runButtons.find((id) => id !== 'execute-workflow-button' && id !== `execute-workflow-button-${TRIGGER}`);
			if (renamedButton) problems.push(`run button ${renamedButton}`);
			assert(problems.length === 0, `Source ${source}: ${problems.join(', ')}`);
		}
		await closeNode(page);
	});

	await t.step('trigger: the Slash Command webhook URL has no clipped method badge', async () => {
		const wf = await createWorkflow(rest, 'UI: slash command URL', [
			triggerNode([0, 0], { source: 'slashCommand', createCommand: false, commandToken: 'x'.repeat(26) }, credential),
		]);
		await openWorkflow(page, url, wf.id);
		await openNode(page, TRIGGER);
		await page.getByText('Webhook URLs', { exact: true }).click();
		await page.waitForSelector('.node-webhooks .webhook-wrapper');
		// One URL row: the method badge (when shown) and the URL.
		const text = (await page.locator('.node-webhooks .webhook-wrapper').first().innerText()).replace(/\s+/g, ' ').trim();
		await shot(page, 'slash-command-webhook-url');
		log(dim(`  webhook URL block: ${text}`));
		assert(!/POST,/.test(text), `the method badge shows "${text}"`);
		assert(text.includes(`/webhook`), `no webhook URL shown: "${text}"`);
		await closeNode(page);
	});

	await t.step('canvas: subtitles read as words', async () => {
		const wf = await createWorkflow(rest, 'UI: canvas subtitles', [
			triggerNode([0, 0], { source: 'slashCommand', createCommand: false, commandToken: 'x'.repeat(26) }, credential),
			node('DM', [300, 0], { resource: 'message', operation: 'sendDirectMessage' }, credential),
			node('React', [600, 0], { resource: 'reaction', operation: 'add' }, credential),
			node('New channel', [900, 0], { resource: 'channel', operation: 'create' }, credential),
			node('Me', [1200, 0], { resource: 'user', operation: 'getMe' }, credential),
		]);
		await openWorkflow(page, url, wf.id);
		await page.click('[data-test-id="zoom-to-fit"]').catch(() => {});
		await page.waitForTimeout(800);
		const subtitles = await page.$$eval('[data-test-id="canvas-node"]', (els) =>
			Object.fromEntries(els.map((e) => [e.getAttribute('data-node-name'), e.querySelector('[class*="_subtitle_"]')?.textContent?.trim()])),
		);
		await shot(page, 'canvas-subtitles');
		log(dim(`  ${JSON.stringify(subtitles)}`));
		const expected = {
			[TRIGGER]: 'Slash command',
			DM: 'Send a direct message',
			React: 'Add a reaction',
			'New channel': 'Create a channel',
			Me: 'Get the user of the credential',
		};
		for (const [name, words] of Object.entries(expected)) {
			assert(subtitles[name] === words, `subtitle of "${name}" is "${subtitles[name]}", expected "${words}"`);
		}
	});

	await t.step('picker: the Post list keeps its search box when the saved posts fail', async () => {
		const post = mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: 'pelican sighting' });
		const wf = await createWorkflow(rest, 'UI: post picker', [node('React', [0, 0], { resource: 'reaction', operation: 'add' }, credential)]);
		mm.addFault({ method: 'GET', path: '/api/v4/users/me/posts/flagged', status: 404, times: null });
		try {
			await openWorkflow(page, url, wf.id);
			await openNode(page, 'React');
			await page.locator('[data-test-id="resource-locator-postId"] [data-test-id="rlc-input"]').click();
			// The dropdown: a popover with the search box and the list, or only the error of the list.
			const dropdown = page.locator('[role="dialog"][class*="popoverContent"]:visible').first();
			await dropdown.waitFor();
			await page.waitForFunction(() => !document.querySelector('[role="dialog"] [class*="loadingItem"]'), null, { timeout: 30000 });
			await page.waitForTimeout(500);
			const before = (await dropdown.innerText()).replace(/\s+/g, ' ').trim();
			await shot(page, 'post-picker-default-list-failed');
			log(dim(`  dropdown: ${before}`));
			assert(mm.requests.some((r) => r.path === '/api/v4/users/me/posts/flagged'), 'the picker did not ask for the saved posts');
			assert(await page.locator('[data-test-id="rlc-search"]:visible').count(), `no search box: "${before}"`);
			assert(!/IDs used/.test(before), `the dropdown blames the IDs: "${before}"`);
			await page.locator('[data-test-id="rlc-search"]').fill('pelican');
			await page.getByText('pelican sighting').first().waitFor({ timeout: 15000 });
			await shot(page, 'post-picker-search');
			await page.getByText('pelican sighting').first().click();
			const value = await page
				.locator('[data-test-id="resource-locator-postId"] [data-test-id="rlc-input"]')
				.evaluate((e) => (e.tagName === 'INPUT' ? e.value : e.querySelector('input')?.value ?? e.textContent));
			assert(/pelican sighting/.test(value), `picking the found post shows "${value}"`, { post: post.id });
			await closeNode(page);
		} finally {
			mm.clearFaults();
		}
	});

	await t.step('credential: the OAuth2 dialog (field order logged)', async () => {
		const oauth = (await rest.post('/rest/credentials', {
			name: 'Mattermost (OAuth2)',
			type: lab.OAUTH2_CREDENTIAL_TYPE,
			data: { baseUrl: mm.url, grantType: 'authorizationCode', clientId: 'client-id', clientSecret: 'client-secret' },
		})).data;
		await page.goto(`${url}/home/credentials/${oauth.id}`);
		await page.waitForSelector('[data-test-id="credential-edit-dialog"]', { timeout: 30000 });
		await page.waitForTimeout(1500);
		const order = await page.$$eval('[data-test-id="credential-connection-parameter"]', (els) =>
			els.map((e) => (e.querySelector('[data-test-id^="parameter-input-"]')?.getAttribute('data-test-id') || 'notice').replace('parameter-input-', '')),
		);
		await shot(page, 'oauth2-credential-dialog');
		await page.locator('[data-test-id="credential-connection-parameter"]').last().scrollIntoViewIfNeeded();
		await page.waitForTimeout(500);
		await shot(page, 'oauth2-credential-dialog-end');
		log(`  OAuth2 credential fields, top to bottom: ${order.join(', ')}`);
	});

	console.log(`\n${bold(t.summary())}  ${dim(`screenshots in ${SHOTS}`)}`);
	await lab.cleanup();
	process.exit(t.failed ? 1 : 0);
}

main().catch(async (err) => {
	console.error(lab.red('editor-check: failed:'), (err && err.stack) || err);
	await lab.cleanup();
	process.exit(1);
});
