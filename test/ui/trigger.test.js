'use strict';
/**
 * The trigger in n8n's editor: listening for a test event with Source Outgoing Webhook. n8n registers
 * its test webhook, the node creates the outgoing webhook in (fake) Mattermost pointing at the test
 * URL, a user posts, Mattermost calls n8n, and the event shows in the output panel; then n8n
 * removes the test webhook and the node deletes the outgoing webhook. Creating outgoing webhooks
 * needs a team admin: the admin's credential. (Each Source's parameters, webhook URLs and the
 * node's name: editor.test.js.)
 */

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const lab = require('../../scripts/lib/n8n-lab');
const session = require('./session');
const { sel } = require('./editor-page');

let ui;

before(async () => {
	ui = await session.start();
});

after(() => session.stop());

test('trigger: listening for a test event (Outgoing Webhook) shows a post made in Mattermost, then removes the test webhook', { timeout: 300000 }, async () => {
	const { mm, seed, editor } = ui;
	const channel = seed.channels.townSquare;
	const wf = await ui.createWorkflow('UI: trigger test event', [
		ui.triggerNode(
			{
				source: 'outgoingWebhook',
				teamId: lab.byId(seed.team.id),
				channelId: lab.byId(channel.id),
				triggerWords: 'deploy',
			},
			ui.adminCredential,
		),
	]);
	const testHooks = () => [...mm.state.hooks.values()].filter((h) => !h.delete_at && (h.callback_urls || []).some((u) => u.includes('/webhook-test/')));
	assert.deepEqual(testHooks(), []);

	await editor.openNodeByUrl(wf.id, wf.nodes[0].id);
	// n8n 2.41 labels the button "Listen for test event" for its own Webhook node only; other
	// webhook-based triggers (ours, n8n's app triggers) get "Execute step" and listen all the same.
	const { button, text } = await editor.listenButton();
	assert.match(text, /^(Execute step|Listen for test event)$/);
	await button.click();
	await editor.page.locator(sel.ndv).getByText(/Go to .+ and create an event/).first().waitFor({ timeout: 60000 });
	await lab.waitUntil(() => testHooks().length === 1, { timeoutMs: 60000, what: 'the outgoing webhook at the test URL' });
	const [hook] = testHooks();
	assert.equal(hook.channel_id, channel.id);
	assert.deepEqual(hook.trigger_words, ['deploy']);
	assert.match(hook.callback_urls[0], new RegExp(`^${ui.server.url}/webhook-test/${wf.nodes[0].webhookId}/webhook$`));

	const message = `deploy build ${crypto.randomInt(1000, 9999)} from the editor`;
	const post = await lab.postAs(mm, seed.tokens.alice, channel.id, message);
	await editor.waitForOutput(message);
	const output = await editor.outputText();
	assert.match(output, new RegExp(post.id), 'the output lacks the post id');
	assert.match(output, /alice/, 'the output lacks the user name');
	await editor.outputAs('json');
	await editor.waitForOutput(`"text": "${message}"`);
	await editor.page.mouse.move(5, 5);
	await ui.screenshot('trigger-test-event', sel.ndv);

	// n8n takes the test webhook down after the event; the node deletes the outgoing webhook.
	await lab.waitUntil(() => testHooks().length === 0, { timeoutMs: 60000, what: 'the outgoing webhook of the test to be deleted' });
});
