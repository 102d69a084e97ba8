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
	const node = (name, type, typeVersion, position, parameters, extra = {}) => ({
		id: crypto.randomUUID(),
		name,
		type,
		typeVersion,
		position,
		parameters,
		...extra,
	});
	const main = (...targets) => ({ main: targets.map((target) => [{ node: target, type: 'main', index: 0 }]) });
	return {
		name,
		nodes: [
			node(lab.MANUAL_TRIGGER, 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}),
			node('Two Channels', 'n8n-nodes-base.set', 3.4, [200, 0], {
				mode: 'raw',
				jsonOutput: JSON.stringify({ channel: channelIds }),
				options: {},
			}),
			node(SPLIT_NODE, 'n8n-nodes-base.splitOut', 1, [400, 0], { fieldToSplitOut: 'channel', options: {} }),
			node(
				lab.POST_NODE,
				lab.NODE_TYPE,
				1,
				[600, 0],
				{
					resource: 'message',
					operation: 'post',
					channelId: { __rl: true, mode: 'id', value: '={{ $json.channel }}' },
					message: `={{ "${marker} to " + $json.channel }}`,
				},
				{ onError: 'continueErrorOutput', credentials: { [lab.CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } } },
			),
			node(SUCCESS_NODE, 'n8n-nodes-base.noOp', 1, [800, -100], {}),
			node(FAILURE_NODE, 'n8n-nodes-base.noOp', 1, [800, 100], {}),
		],
		connections: {
			[lab.MANUAL_TRIGGER]: main('Two Channels'),
			'Two Channels': main(SPLIT_NODE),
			[SPLIT_NODE]: main(lab.POST_NODE),
			[lab.POST_NODE]: main(SUCCESS_NODE, FAILURE_NODE),
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** Only the trigger, source Events (WebSocket), for "posted". */
function eventsWorkflow({ name, credential }) {
	return {
		name,
		nodes: [
			{
				id: crypto.randomUUID(),
				name: lab.TRIGGER_NODE,
				type: lab.TRIGGER_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { source: 'events', events: ['posted'] },
				credentials: { [lab.CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

const itemsOf = (runData, nodeName, output = 0) =>
	(runData?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[output] || []).map((item) => item.json);

async function createCredential(rest, mm, name, accessToken) {
	const res = await rest.post('/rest/credentials', lab.credentialFixture({ name, baseUrl: mm.url, accessToken }));
	const credential = { id: res?.data?.id, name: res?.data?.name };
	assert(credential.id, 'POST /rest/credentials answered no id', res);
	return credential;
}

async function createWorkflow(rest, body) {
	const res = await rest.post('/rest/workflows', body);
	const workflow = res?.data;
	assert(workflow?.id && workflow.versionId, 'POST /rest/workflows answered no id/versionId', res);
	return workflow;
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
		const credential = await createCredential(rest, mm, 'E2E bot (error output)', seed.tokens.bot);
		const marker = `e2e-error-output-${crypto.randomBytes(6).toString('hex')}`;
		const workflow = await createWorkflow(
			rest,
			errorOutputWorkflow({ name: 'E2E error output', channelIds: [channel.id, MISSING_CHANNEL], marker, credential }),
		);
		const executionId = await lab.runWorkflow(rest, workflow.id, lab.MANUAL_TRIGGER);
		const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 60000 });
		assert(ex.status === 'success', `execution ${executionId}: status ${ex.status}`, ex.data?.resultData?.error);

		const split = itemsOf(ex.data, SPLIT_NODE);
		assert(split.length === 2 && split[1].channel === MISSING_CHANNEL, 'the workflow did not feed two items to the node', split);
		const success = itemsOf(ex.data, lab.POST_NODE, 0);
		const failure = itemsOf(ex.data, lab.POST_NODE, 1);
		assert(success.length === 1, `expected 1 item on the success output, got ${success.length}`, success);
		assert(success[0].channel_id === channel.id && String(success[0].message).startsWith(marker), 'the success item is not the good post', success[0]);
		assert(failure.length === 1, `expected 1 item on the error output, got ${failure.length}`, failure);
		const { error } = failure[0];
		assert(failure[0].channel === MISSING_CHANNEL, 'the error item does not carry its input item\'s fields', failure[0]);
		assert(error && typeof error === 'object', 'the error item has no error object', failure[0]);
		assert(error.message === 'Unable to find the existing channel.', `error.message is ${JSON.stringify(error.message)}`, error);
		assert(String(error.description).includes(`Mattermost found no channel ${MISSING_CHANNEL}`), 'error.description does not say what was not found', error);
		assert(error.itemIndex === 1, `error.itemIndex is ${error.itemIndex}, expected 1`, error);

		const atSuccess = itemsOf(ex.data, SUCCESS_NODE);
		const atFailure = itemsOf(ex.data, FAILURE_NODE);
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
		const credential = await createCredential(rest, mm, 'E2E bot (no webhook permission)', seed.tokens.bot);
		const workflow = await createWorkflow(
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
		const credential = await createCredential(rest, mm, 'E2E revoked token (events)', 'wr0ngt0kenwr0ngt0kenwr0ngt');
		const workflow = await createWorkflow(rest, eventsWorkflow({ name: 'E2E activation error: events', credential }));
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
