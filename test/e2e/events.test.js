'use strict';
/**
 * Suite "events": the Mattermost Suite Trigger with Source Events (WebSocket) in a published
 * workflow of the real n8n. While alice posts 300 messages at 300 per second, the fake cuts the
 * trigger's WebSocket and refuses reconnects for 200 of them: more than the 128 events Mattermost
 * keeps per connection, so the server cannot resume and opens a new connection. Each post must
 * still start exactly one execution (the missed ones fetched back over REST). Deactivating closes
 * the socket.
 */

const lab = require('../../scripts/lib/n8n-lab');
const e2e = require('./support');

const { log, assert, bold } = lab;

const POSTS = 300;
const PER_SECOND = 300;
/** Posts sent while reconnects are refused: well over the resume queue's 128 events. */
const HELD_POSTS = 200;
const BEFORE_DROP = 50;

const ctx = e2e.suite('events');
let mm;
let seed;
let rest;
ctx.before(() => ({ mm, seed, rest } = ctx));
const botSockets = () => mm.webSocketConnections.filter((c) => c.userId === seed.bot.id);

const created = ctx.step(
	'events: credential (bot token) + workflow (Events, posted, one channel) over REST',
	async () => {
		const channel = mm.createChannel({ team_id: seed.team.id, name: 'e2e-events', display_name: 'E2E Events', creator_id: seed.admin.id });
		for (const user of [seed.bot, seed.alice]) mm.addChannelMember(channel.id, user.id);
		const credential = await lab.createCredential(rest, { name: 'E2E bot (events)', baseUrl: mm.url, accessToken: seed.tokens.bot });
		const workflow = await lab.createWorkflow(rest, lab.eventsWorkflowFixture({ name: 'E2E trigger: events', channel, credential }));
		log(`  channel ${channel.id}, credential ${credential.id}, workflow ${workflow.id}`);
		return { channel, workflow };
	},
);

const activated = ctx.step(
	'events: activate → n8n opens one WebSocket as the bot',
	async (created) => {
		const wf = await lab.activateWorkflow(rest, created.workflow.id, created.workflow.versionId);
		assert(wf && wf.active === true, 'the workflow is not active after POST /activate', wf && { active: wf.active });
		await lab.waitUntil(() => botSockets().length === 1, {
			timeoutMs: 20000,
			what: "the trigger's WebSocket in the fake",
			explain: async () => ({ activationError: await lab.activationError(rest, created.workflow.id), sockets: mm.webSocketConnections }),
		});
		return botSockets()[0];
	},
	{ needs: [created] },
);

const sent = ctx.step(
	`events: ${POSTS} posts at ${PER_SECOND}/s; after ${BEFORE_DROP} the socket drops and reconnects fail for ${HELD_POSTS} posts`,
	async (created, activated) => {
		const ids = [];
		const sendUntil = async (total) => {
			const startedAt = Date.now();
			const from = ids.length;
			while (ids.length < total) {
				const due = Math.min(total, from + Math.ceil(((Date.now() - startedAt + 10) * PER_SECOND) / 1000));
				while (ids.length < due) {
					ids.push(mm.createPost({ channel_id: created.channel.id, user_id: seed.alice.id, message: `e2e event ${ids.length}` }).id);
				}
				await lab.sleep(10);
			}
		};
		await sendUntil(BEFORE_DROP);
		mm.dropWebSockets({ hold: true });
		await sendUntil(BEFORE_DROP + HELD_POSTS);
		mm.releaseWebSockets();
		await sendUntil(POSTS);
		await lab.waitUntil(() => botSockets().length === 1, { timeoutMs: 20000, what: "the trigger's WebSocket back in the fake" });
		const now = botSockets()[0];
		assert(now.connectionId !== activated.connectionId, 'the server resumed the connection: the drop did not overflow the resume queue', now);
		log(`  connection ${activated.connectionId} → ${now.connectionId} (not resumable)`);
		return ids;
	},
	{ needs: [created, activated] },
);

ctx.step(
	'events: every post started exactly one successful execution',
	async (created, sent) => {
		// Until every post has its execution, or no new one came for 45 s: a loaded n8n can take that long to start the next ones (then the counts tell what was lost).
		let listed = [];
		let grewAt = Date.now();
		await lab.waitUntil(
			async () => {
				const before = listed.length;
				listed = await lab.allExecutions(rest, created.workflow.id);
				if (listed.length > before) grewAt = Date.now();
				return listed.length >= POSTS || Date.now() - grewAt > 45000;
			},
			{ timeoutMs: 180000, intervalMs: 1000, what: `${POSTS} executions`, explain: () => ({ count: listed.length }) },
		);
		await lab.sleep(2000); // a doubled post would add its execution now
		listed = await lab.allExecutions(rest, created.workflow.id);
		const runs = await lab.inParallel(listed, 6, async (summary) => {
			// 300 executions at once keep a loaded 2-core machine busy for minutes: a generous wait, never a time assertion.
			const ex = await lab.waitForExecution(rest, summary.id, { timeoutMs: 180000 });
			const { items, error } = lab.nodeOutput(ex.data, lab.TRIGGER_NODE);
			// An execution n8n failed before the node ran still holds the emitted item as its start data.
			const item = items[0] ?? ex.data?.executionData?.nodeExecutionStack?.[0]?.data?.main?.[0]?.[0]?.json;
			return { id: summary.id, status: ex.status, error: error?.message, postId: item?.post?.id, backfilled: item?.backfilled === true };
		});
		const perPost = new Map();
		for (const run of runs) perPost.set(run.postId, (perPost.get(run.postId) || 0) + 1);
		const lost = sent.filter((id) => !perPost.has(id)).length;
		const doubled = [...perPost.values()].reduce((sum, n) => sum + n - 1, 0);
		const strangers = runs.filter((run) => !sent.includes(run.postId));
		const failed = runs.filter((run) => run.status !== 'success');
		const backfilled = runs.filter((run) => run.backfilled).length;
		log(`  sent ${bold(sent.length)}, executions ${bold(runs.length)}, lost ${bold(lost)}, doubled ${bold(doubled)} (fetched back ${backfilled})`);
		assert(lost === 0 && doubled === 0 && runs.length === sent.length, `sent ${sent.length}, executions ${runs.length}, lost ${lost}, doubled ${doubled}`);
		assert(strangers.length === 0, 'executions for posts that were not sent', strangers.slice(0, 5));
		assert(failed.length === 0, `${failed.length} executions failed in n8n`, failed.slice(0, 5));
		assert(backfilled >= 128, `only ${backfilled} executions came from posts fetched back; the outage lost more than 128 events`);
	},
	{ needs: [created, sent] },
);

ctx.step(
	'events: deactivate → the WebSocket is closed',
	async (created) => {
		const wf = await lab.deactivateWorkflow(rest, created.workflow.id);
		assert(wf && wf.active === false, 'the workflow is still active after POST /deactivate', wf && { active: wf.active });
		await lab.waitUntil(() => botSockets().length === 0, { timeoutMs: 20000, what: "the trigger's WebSocket closed" });
		const violations = mm.contractViolations.filter((v) => /^\/api\/v4\/(users\/me|users\/ids|channels\/[a-z0-9]+\/posts)/.test(v.path));
		assert(violations.length === 0, "the trigger's requests break the API contract", violations);
	},
	{ needs: [created, activated] },
);
