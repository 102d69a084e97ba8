'use strict';
/**
 * Suite error-output: what a user sees of failures in a real n8n.
 *
 * - "On Error: Continue (using error output)": a workflow posts two items, one to a channel that
 *   exists and one to a channel that does not; the good item must leave the Mattermost Suite node
 *   on the success output and the bad one on the error output (message, description, item index),
 *   and the nodes wired to each output must get exactly those.
 * - Activation errors: n8n 2.41 shows only `error.message` of a trigger that fails to publish
 *   (GET /rest/workflows/:id/publication-status → triggers[].errorMessage). An Outgoing Webhook
 *   trigger whose credential's user may not manage outgoing webhooks (the seeded bot is no team
 *   admin) and an Events trigger with a token Mattermost refuses must fail with the sentence that
 *   says what to do, naming the credential (and the missing permission).
 *
 */
const crypto = require('node:crypto');
const lab = require('../../scripts/lib/n8n-lab');
const e2e = require('./support');

const { log, assert, bold } = lab;

/** A well-formed channel id nothing has. */
const MISSING_CHANNEL = 'abcdefghijklmnopqrstuvwxyz';
const SPLIT_NODE = 'Split Channels';
const SUCCESS_NODE = 'Success';
const FAILURE_NODE = 'Failure';

/** Manual Trigger → Edit Fields (two channel ids) → Split Out → Mattermost Suite (error output) → Success / Failure. */
function errorOutputWorkflow({ name, channelIds, marker, credential }) {
	const post = {
		resource: 'message',
		operation: 'post',
		channelId: lab.byId('={{ $json.channel }}'),
		message: `={{ "${marker} to " + $json.channel }}`,
	};
	return lab.workflowOf({
		name,
		nodes: [
			lab.manualTriggerNode(),
			lab.workflowNode('Two Channels', 'n8n-nodes-base.set', [200, 0], { mode: 'raw', jsonOutput: JSON.stringify({ channel: channelIds }), options: {} }, { typeVersion: 3.4 }),
			lab.workflowNode(SPLIT_NODE, 'n8n-nodes-base.splitOut', [400, 0], { fieldToSplitOut: 'channel', options: {} }),
			lab.workflowNode(lab.POST_NODE, lab.NODE_TYPE, [600, 0], post, { onError: 'continueErrorOutput', credentials: lab.credentialRef(credential) }),
			lab.workflowNode(SUCCESS_NODE, 'n8n-nodes-base.noOp', [800, -100]),
			lab.workflowNode(FAILURE_NODE, 'n8n-nodes-base.noOp', [800, 100]),
		],
		links: {
			[lab.MANUAL_TRIGGER]: 'Two Channels',
			'Two Channels': SPLIT_NODE,
			[SPLIT_NODE]: lab.POST_NODE,
			[lab.POST_NODE]: [SUCCESS_NODE, FAILURE_NODE],
		},
	});
}

/** Only the trigger, source Events (WebSocket), for "posted". */
function eventsWorkflow({ name, credential }) {
	const trigger = { source: 'events', events: ['posted'] };
	return lab.workflowOf({
		name,
		nodes: [lab.workflowNode(lab.TRIGGER_NODE, lab.TRIGGER_NODE_TYPE, [0, 0], trigger, { credentials: lab.credentialRef(credential) })],
	});
}

/**
 * Publishes the workflow and polls its publication status until n8n settles it; resolves the
 * status ({ status, triggers: [{ nodeId, status, errorMessage }] }). n8n retries a failing trigger
 * before it shows "failed" (about 16 s).
 */
async function publishUntilSettled(rest, workflow) {
	await lab.activateWorkflow(rest, workflow.id, workflow.versionId);
	let last;
	return await lab.waitUntil(
		async () => {
			const res = await rest.get(`/rest/workflows/${workflow.id}/publication-status`);
			last = res?.data;
			return ['published', 'partial', 'failed'].includes(last?.status) ? last : undefined;
		},
		{ timeoutMs: 90000, intervalMs: 500, what: `publication status of workflow ${workflow.id} settled`, explain: () => last },
	);
}

const ctx = e2e.suite('error-output');
let mm;
let seed;
let channel;
let rest;
ctx.before(() => ({ mm, seed, channel, rest } = ctx));
ctx.step(
	'error-output: Continue (using error output) → the good item on the success output, the bad one on the error output',
	async () => {
		const credential = await lab.createCredential(rest, { name: 'E2E bot (error output)', baseUrl: mm.url, accessToken: seed.tokens.bot });
		const marker = `e2e-error-output-${crypto.randomBytes(6).toString('hex')}`;
		const workflow = await lab.createWorkflow(
			rest,
			errorOutputWorkflow({ name: 'E2E error output', channelIds: [channel.id, MISSING_CHANNEL], marker, credential }),
		);
		const executionId = await lab.runWorkflow(rest, workflow.id, lab.MANUAL_TRIGGER);
		const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 60000 });
		assert(ex.status === 'success', `execution ${executionId}: status ${ex.status}`, ex.data?.resultData?.error);

		const split = lab.nodeOutput(ex.data, SPLIT_NODE).items;
		assert(split.length === 2 && split[1].channel === MISSING_CHANNEL, 'the workflow did not feed two items to the node', split);
		const success = lab.nodeOutput(ex.data, lab.POST_NODE, 0).items;
		const failure = lab.nodeOutput(ex.data, lab.POST_NODE, 1).items;
		assert(success.length === 1, `expected 1 item on the success output, got ${success.length}`, success);
		assert(success[0].channel_id === channel.id && String(success[0].message).startsWith(marker), 'the success item is not the good post', success[0]);
		assert(failure.length === 1, `expected 1 item on the error output, got ${failure.length}`, failure);
		const { error } = failure[0];
		assert(failure[0].channel === MISSING_CHANNEL, 'the error item does not carry its input item\'s fields', failure[0]);
		assert(error && typeof error === 'object', 'the error item has no error object', failure[0]);
		assert(error.message === 'Unable to find the existing channel.', `error.message is ${JSON.stringify(error.message)}`, error);
		assert(String(error.description).includes(`Mattermost found no channel ${MISSING_CHANNEL}`), 'error.description does not say what was not found', error);
		assert(error.itemIndex === 1, `error.itemIndex is ${error.itemIndex}, expected 1`, error);

		const atSuccess = lab.nodeOutput(ex.data, SUCCESS_NODE).items;
		const atFailure = lab.nodeOutput(ex.data, FAILURE_NODE).items;
		assert(atSuccess.length === 1 && atSuccess[0].id === success[0].id, 'the node on the success output did not get exactly the post', atSuccess);
		assert(atFailure.length === 1 && atFailure[0].error?.itemIndex === 1, 'the node on the error output did not get exactly the failed item', atFailure);
		const posts = mm.postsIn(channel.id).filter((p) => String(p.message).startsWith(marker));
		assert(posts.length === 1 && posts[0].id === success[0].id, `expected the one good post in ${channel.name}, found ${posts.length}`, posts);
		log(`  success: post ${bold(success[0].id)}; error output: ${JSON.stringify(error)}`);
	},
);

ctx.step(
	'error-output: an Outgoing Webhook trigger whose credential may not manage webhooks fails to publish with the permission in errorMessage',
	async () => {
		const credential = await lab.createCredential(rest, { name: 'E2E bot (no webhook permission)', baseUrl: mm.url, accessToken: seed.tokens.bot });
		const workflow = await lab.createWorkflow(
			rest,
			lab.outgoingWebhookWorkflowFixture({
				name: 'E2E activation error: outgoing webhook',
				webhookId: crypto.randomUUID(),
				teamId: seed.team.id,
				triggerWords: 'deploy',
				credential,
			}),
		);
		const from = mm.requests.length;
		try {
			const status = await publishUntilSettled(rest, workflow);
			const shown = (status.triggers || []).map((trigger) => trigger.errorMessage).filter(Boolean).join('\n');
			log(`  ${status.status}: ${shown}`);
			assert(status.status === 'failed', `publication status ${status.status}, expected failed`, status);
			const expected = `Could not create the outgoing webhook in Mattermost: the Mattermost user of credential "${credential.name}" lacks the "manage_outgoing_webhooks" permission in this team. Ask a Mattermost admin to give that user the permission`;
			assert(shown.includes(expected), 'errorMessage does not carry the sentence that says what to do', { shown, expected });
			const creates = mm.requests.slice(from).filter((q) => q.method === 'POST' && q.path === '/api/v4/hooks/outgoing');
			const made = [...mm.state.hooks.values()].filter((hook) => hook.creator_id === seed.bot.id);
			assert(creates.length >= 1 && made.length === 0, 'the node did not ask for the hook, or the fake made it', { creates: creates.length, made });
		} finally {
			await lab.deactivateWorkflow(rest, workflow.id);
		}
	},
);

ctx.step(
	'error-output: an Events trigger with a token Mattermost refuses fails to publish with the credential named in errorMessage',
	async () => {
		const credential = await lab.createCredential(rest, { name: 'E2E revoked token (events)', baseUrl: mm.url, accessToken: 'wr0ngt0kenwr0ngt0kenwr0ngt' });
		const workflow = await lab.createWorkflow(rest, eventsWorkflow({ name: 'E2E activation error: events', credential }));
		try {
			const status = await publishUntilSettled(rest, workflow);
			const shown = (status.triggers || []).map((trigger) => trigger.errorMessage).filter(Boolean).join('\n');
			log(`  ${status.status}: ${shown}`);
			assert(status.status === 'failed', `publication status ${status.status}, expected failed`, status);
			const expected = `Could not listen for Mattermost events: Mattermost refused the access token of credential "${credential.name}" (it is wrong, expired or revoked, or its user is deactivated). Create a new token in Mattermost and paste it into the credential`;
			assert(shown.includes(expected), 'errorMessage does not carry the sentence that says what to do', { shown, expected });
			assert(!/^Invalid or expired session/.test(shown), 'errorMessage is Mattermost\'s raw text', shown);
		} finally {
			await lab.deactivateWorkflow(rest, workflow.id);
		}
	},
);
