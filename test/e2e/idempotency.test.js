'use strict';
/**
 * Suite idempotency: Message > Post with an Idempotency Key in a real n8n. A workflow posts 30
 * items keyed by their id; the fake refuses every create after the 12th, so the execution fails
 * half way (as when a worker dies). Running the workflow again with the same input completes it:
 * exactly 30 posts, none twice, the first 12 returned with reused: true, one paged read of the
 * channel. A third run posts nothing.
 */
const crypto = require('node:crypto');
const lab = require('../../scripts/lib/n8n-lab');
const e2e = require('./support');

const { log, assert, bold } = lab;

const SPLIT_NODE = 'Split Orders';
const ITEMS = 30;
const CRASH_AFTER = 12;
const KEY_PROP = 'n8n_idempotency_key';

/** Manual Trigger → Edit Fields (30 ids) → Split Out → Mattermost Suite Post keyed by $json.id. */
function keyedPostWorkflow({ name, channelId, ids, marker, credential }) {
	const post = {
		resource: 'message',
		operation: 'post',
		channelId: lab.byId(channelId),
		message: `={{ "${marker} order " + $json.id }}`,
		options: { idempotencyKey: '={{ $json.id }}' },
	};
	return lab.workflowOf({
		name,
		nodes: [
			lab.manualTriggerNode(),
			lab.workflowNode('Orders', 'n8n-nodes-base.set', [200, 0], { mode: 'raw', jsonOutput: JSON.stringify({ id: ids }), options: {} }, { typeVersion: 3.4 }),
			lab.workflowNode(SPLIT_NODE, 'n8n-nodes-base.splitOut', [400, 0], { fieldToSplitOut: 'id', options: {} }),
			lab.workflowNode(lab.POST_NODE, lab.NODE_TYPE, [600, 0], post, { credentials: lab.credentialRef(credential) }),
		],
		links: { [lab.MANUAL_TRIGGER]: 'Orders', Orders: SPLIT_NODE, [SPLIT_NODE]: lab.POST_NODE },
	});
}

const ctx = e2e.suite('idempotency');
let mm;
let seed;
let rest;
ctx.before(() => ({ mm, seed, rest } = ctx));
const marker = `e2e-idem-${crypto.randomBytes(4).toString('hex')}`;
const ids = Array.from({ length: ITEMS }, (_, index) => `${marker}-${index}`);
const keysIn = (channelId) => mm.postsIn(channelId).map((post) => post.props?.[KEY_PROP]).filter(Boolean);
const creates = (from) => mm.requests.slice(from).filter((q) => q.method === 'POST' && q.path === '/api/v4/posts');

const setup = ctx.step(
	'idempotency: a fresh channel, credential (bot) and workflow (30 items → Post with Idempotency Key {{ $json.id }})',
	async () => {
		const channel = mm.createChannel({ team_id: seed.team.id, name: marker, display_name: marker, type: 'O', creator_id: seed.admin.id });
		for (const user of [seed.admin, seed.bot]) mm.addChannelMember(channel.id, user.id);
		const credential = await lab.createCredential(rest, { name: 'E2E bot (idempotency)', baseUrl: mm.url, accessToken: seed.tokens.bot });
		const workflow = await lab.createWorkflow(rest, keyedPostWorkflow({ name: 'E2E idempotency', channelId: channel.id, ids, marker, credential }));
		return { channel, workflow };
	},
);

const crashed = ctx.step(
	`idempotency: the server refuses every create after the ${CRASH_AFTER}th → the execution fails with ${CRASH_AFTER} posts`,
	async (setup) => {
		mm.addFault({ method: 'POST', path: '/api/v4/posts', status: 403, times: Infinity, afterRequests: CRASH_AFTER });
		try {
			const executionId = await lab.runWorkflow(rest, setup.workflow.id, lab.MANUAL_TRIGGER);
			const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 60000 });
			assert(ex.status === 'error', `execution ${executionId}: status ${ex.status}, expected error`);
		} finally {
			mm.clearFaults();
		}
		const keys = keysIn(setup.channel.id);
		assert(keys.length === CRASH_AFTER, `expected ${CRASH_AFTER} posts after the failed run, found ${keys.length}`, keys);
		return true;
	},
	{ needs: [setup] },
);

const completed = ctx.step(
	`idempotency: the same workflow again → exactly ${ITEMS} posts, none twice; ${CRASH_AFTER} returned with reused: true; one paged read`,
	async (setup) => {
		const from = mm.requests.length;
		const executionId = await lab.runWorkflow(rest, setup.workflow.id, lab.MANUAL_TRIGGER);
		const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 60000 });
		assert(ex.status === 'success', `execution ${executionId}: status ${ex.status}`, ex.data?.resultData?.error);
		const keys = keysIn(setup.channel.id);
		assert(keys.length === ITEMS && new Set(keys).size === ITEMS, `expected ${ITEMS} distinct keyed posts, found ${keys.length} (${new Set(keys).size} distinct)`);
		const output = lab.nodeOutput(ex.data, lab.POST_NODE).items;
		const reused = output.filter((item) => item.reused === true).length;
		assert(output.length === ITEMS && reused === CRASH_AFTER, `expected ${ITEMS} items, ${CRASH_AFTER} reused; got ${output.length}, ${reused}`);
		assert(creates(from).length === ITEMS - CRASH_AFTER, `expected ${ITEMS - CRASH_AFTER} creates, saw ${creates(from).length}`);
		const reads = mm.requests.slice(from).filter((q) => q.method === 'GET' && q.path === `/api/v4/channels/${setup.channel.id}/posts`);
		assert(reads.length <= 2 && reads.every((q) => q.query.since), `expected one since walk of the channel, saw ${reads.length} reads`, reads.map((q) => q.query));
		log(`  ${bold(ITEMS - CRASH_AFTER)} posted, ${bold(reused)} reused, ${reads.length} channel reads`);
		return true;
	},
	{ needs: [setup, crashed] },
);

ctx.step(
	'idempotency: a third run posts nothing',
	async (setup) => {
		const from = mm.requests.length;
		const executionId = await lab.runWorkflow(rest, setup.workflow.id, lab.MANUAL_TRIGGER);
		const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 60000 });
		assert(ex.status === 'success', `execution ${executionId}: status ${ex.status}`, ex.data?.resultData?.error);
		assert(creates(from).length === 0, `expected no creates, saw ${creates(from).length}`);
		assert(keysIn(setup.channel.id).length === ITEMS, 'the channel no longer holds exactly the keyed posts');
	},
	{ needs: [setup, completed] },
);
