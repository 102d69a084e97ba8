'use strict';
/**
 * The package in n8n's real editor, as a user meets it: Chromium (Debian's, driven by
 * playwright-core) against n8n 2.41.1 with the packed tarball installed as a community package,
 * talking to the project's fake Mattermost (shared set-up in ./session.js).
 *
 *   npm run test:ui                                   # all checks
 *   npm run test:ui -- --test-name-pattern=credential # some
 *   npm run test:ui -- --update-screenshots           # also refresh docs/screenshots/
 *
 * Screenshots go to .e2e/ui/screenshots/ on every run, and to docs/screenshots/ with
 * UPDATE_SCREENSHOTS=1 (what --update-screenshots sets).
 */

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const lab = require('../../scripts/lib/n8n-lab');
const session = require('./session');
const { sel } = require('./editor-page');

let ui;
let mm;
let seed;
let rest;
let editor;
let screenshot;
let actionNode;
let triggerNode;
let createWorkflow;

before(async () => {
	ui = await session.start();
	({ mm, seed, rest, editor, screenshot, actionNode, triggerNode, createWorkflow } = ui);
});

after(() => session.stop());

test('nodes panel: searching "Mattermost" shows our nodes with our icon, and every action under its resource', { timeout: 180000 }, async () => {
	await editor.newWorkflow();
	await editor.searchNodes('Mattermost');
	const results = await editor.nodeResults();
	const ours = results.find((r) => r.name === 'Mattermost Suite');
	assert.ok(ours, `no "Mattermost Suite" in ${JSON.stringify(results)}`);
	assert.match(ours.icon || '', new RegExp(`${lab.PACKAGE_NAME}.*mattermostSuite`), `icon ${ours.icon}`);
	await screenshot('nodes-panel-search', sel.creator);

	await editor.openResult('Mattermost Suite');
	const ops = ui.operations;
	const categories = await editor.categories();
	// n8n shows the trigger and the action node of one package as one entry with two categories.
	assert.ok(categories.some((c) => /^Triggers \(\d+\)$/.test(c)), `categories ${categories}`);
	assert.ok(categories.includes(`Actions (${ops.length})`), `categories ${categories}, expected Actions (${ops.length})`);

	const shown = await editor.actionsByResource(ops.length);
	const expected = {};
	for (const op of ops) (expected[op.resourceName.toLowerCase()] ||= []).push(op.action);
	for (const list of Object.values(expected)) list.sort();
	for (const list of Object.values(shown)) list.sort();
	assert.deepEqual(shown, expected);
	await editor.scrollCreatorTo('Post a message');
	await screenshot('actions-list', sel.creator);
});

test('credential dialog: opens tested OK; a wrong token shows our 401 sentence; a pasted /api/v4/ URL passes', async () => {
	const made = (await rest.post('/rest/credentials', {
		name: 'Mattermost (dialog)',
		type: lab.CREDENTIAL_TYPE,
		data: { accessToken: seed.tokens.bot, baseUrl: mm.url },
	})).data;
	await editor.openCredential(made.id);
	assert.match(await editor.credentialTestResult(true), /Connection tested successfully/);

	await editor.fillCredentialField('accessToken', 'wrong-token-0000000000000');
	await editor.saveCredential();
	assert.match(await editor.credentialTestResult(false), /Mattermost refused the Access Token \(401\)/);

	// The right token again, with the API path and a trailing slash in the URL still connects.
	await editor.fillCredentialField('accessToken', seed.tokens.bot);
	await editor.fillCredentialField('baseUrl', `${mm.url}/api/v4/`);
	await editor.saveCredential();
	assert.match(await editor.credentialTestResult(true), /Connection tested successfully/);
	await editor.page.waitForTimeout(500);
	await screenshot('credential-tested');
});

test('pickers: team, channel and user lists load with a non-admin bot token and filter on a search', async () => {
	const wf = await createWorkflow('UI: pickers', [
		actionNode('Post', { resource: 'message', operation: 'post', message: 'Deploy finished' }),
		actionNode('Team', { resource: 'team', operation: 'get' }, [250, 0]),
		actionNode('User', { resource: 'user', operation: 'get' }, [500, 0]),
	]);
	const cases = [
		{ node: 'Post', param: 'channelId', all: ['Town Square', 'Off-Topic'], search: 'off', hit: 'Off-Topic', miss: 'Town Square' },
		{ node: 'Team', param: 'teamId', all: [seed.team.display_name], search: seed.team.display_name.slice(0, 4), hit: seed.team.display_name },
		{ node: 'User', param: 'userId', all: [seed.alice.username, seed.bob.username], search: seed.alice.username, hit: seed.alice.username, miss: seed.bob.username },
	];
	for (const c of cases) {
		const id = wf.nodes.find((n) => n.name === c.node).id;
		await editor.openNodeByUrl(wf.id, id);
		await editor.openPicker(c.param);
		const items = await editor.pickerItems();
		for (const name of c.all) assert.ok(items.some((i) => i.includes(name)), `${c.param}: "${name}" not in ${JSON.stringify(items)}`);
		if (c.node === 'Post') await screenshot('post-channel-picker');
		await editor.searchPicker(c.search);
		const found = await editor.pickerItems();
		assert.ok(found.some((i) => i.includes(c.hit)), `${c.param} search "${c.search}": ${JSON.stringify(found)}`);
		if (c.miss) assert.ok(!found.some((i) => i.includes(c.miss)), `${c.param} search "${c.search}" kept ${c.miss}: ${JSON.stringify(found)}`);
		await editor.page.keyboard.press('Escape');
	}
});

test('Execute step on Post shows the created post, and the fake holds it', async () => {
	const message = `UI run ${crypto.randomUUID().slice(0, 8)}`;
	const wf = await createWorkflow('UI: execute post', [
		actionNode('Post', {
			resource: 'message',
			operation: 'post',
			channelId: lab.byId(seed.channels.townSquare.id),
			message,
		}),
	]);
	await editor.openNodeByUrl(wf.id, wf.nodes[0].id);
	await editor.executeStep();
	await editor.page.locator(`${sel.ndv} ${sel.outputPanel}`).getByText(message).first().waitFor({ timeout: 30000 });
	const held = [...mm.state.posts.values()].find((p) => p.message === message);
	assert.ok(held, 'the fake holds no such post');
	assert.equal(held.channel_id, seed.channels.townSquare.id);
	assert.match(await editor.outputText(), new RegExp(held.id));
});

test('trigger: each Source shows its parameters, keeps the node name and shows its webhook URL', async () => {
	const wf = await createWorkflow('UI: trigger', [triggerNode({ source: 'events' })]);
	await editor.openNodeByUrl(wf.id, wf.nodes[0].id);
	// Each Source with parameters only it shows.
	const sources = [
		['Outgoing Webhook', true, ['Team', 'Channel', 'Trigger Words', 'Trigger When', 'Fetch Full Post']],
		['Slash Command', true, ['Create Command in Mattermost', 'Response Mode']],
		['Interactive Action', true, ['Secret', 'Response']],
		['Events (WebSocket)', false, ['Events', 'Team', 'Channels', 'Ignore Own Posts']],
	];
	const others = (own) => [...new Set(sources.flatMap(([, , labels]) => labels))].filter((l) => l !== 'Team' && !own.includes(l));
	for (const [label, hasWebhook, parameters] of sources) {
		await editor.chooseOption('source', label);
		await editor.waitForParameterLabels(parameters, others(parameters));
		const names = await editor.triggerNames('.mattermostSuiteTrigger');
		assert.equal(names.title, lab.TRIGGER_NODE, `${label}: panel title`);
		assert.equal(names.canvas, lab.TRIGGER_NODE, `${label}: canvas node`);
		const renamed = names.runButtons.find((id) => id !== 'execute-workflow-button' && id !== `execute-workflow-button-${lab.TRIGGER_NODE}`);
		assert.equal(renamed, undefined, `${label}: run button`);
		if (hasWebhook) {
			const urls = await editor.showWebhookUrls();
			assert.match(urls, /\/webhook/, `${label}: ${urls}`);
			assert.doesNotMatch(urls, /POST,/, `${label}: clipped method badge: ${urls}`);
			if (label === 'Outgoing Webhook') await screenshot('trigger-outgoing-webhook', sel.ndv);
		}
	}
});

test('canvas: subtitles read as words, not raw parameter values', async () => {
	const wf = await createWorkflow('UI: canvas subtitles', [
		triggerNode({ source: 'slashCommand', createCommand: false, commandToken: 'x'.repeat(26) }),
		actionNode('DM', { resource: 'message', operation: 'sendDirectMessage' }, [300, 0]),
		actionNode('React', { resource: 'reaction', operation: 'add' }, [600, 0]),
		actionNode('New channel', { resource: 'channel', operation: 'create' }, [900, 0]),
		actionNode('Me', { resource: 'user', operation: 'getMe' }, [1200, 0]),
	]);
	const expected = {
		[lab.TRIGGER_NODE]: 'Slash command',
		DM: 'Send a direct message',
		React: 'Add a reaction',
		'New channel': 'Create a channel',
		Me: 'Get the user of the credential',
	};
	await editor.openWorkflow(wf.id);
	const subtitles = await editor.canvasSubtitles(Object.keys(expected));
	await screenshot('canvas-subtitles');
	assert.deepEqual(subtitles, expected);
});
