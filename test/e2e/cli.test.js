'use strict';
/**
 * Suite cli: n8n import:credentials + import:workflow + execute --rawOutput, no server. The
 * commands run on a user folder of their own (the package installed from the tarball), so they
 * never share n8n's database with a running server.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const lab = require('../../scripts/lib/n8n-lab');
const e2e = require('./support');

const { log, assert, bold, dim } = lab;

const ctx = e2e.suite('cli', { n8n: false });
const encryptionKey = `e2e-cli-${crypto.randomBytes(16).toString('hex')}`;
const marker = `e2e-cli-${crypto.randomBytes(6).toString('hex')}`;
let mm;
let seed;
let channel;
let cli;
let credential;
let workflow;

ctx.before(async () => {
	({ mm, seed, channel } = ctx);
	const { userFolder } = await lab.createUserFolder({ tarball: await ctx.tarball(), dir: path.join(ctx.work, 'user') });
	const logFile = path.join(ctx.work, 'n8n-cli.log');
	ctx.logs.push(logFile);
	cli = (args) => lab.runN8nCli(args, { userFolder, encryptionKey, logFile });
	credential = lab.credentialFixture({ id: lab.n8nId(), name: 'E2E bot (CLI)', baseUrl: mm.url, accessToken: seed.tokens.bot });
	workflow = lab.postWorkflowFixture({
		id: lab.n8nId(),
		name: 'E2E CLI: post a message',
		channelId: channel.id,
		message: `Hello from the n8n CLI (${marker})`,
		credential,
	});
});

const imported = ctx.step('cli: n8n import:credentials (bot token)', async () => {
	const file = path.join(ctx.work, 'credentials.json');
	fs.writeFileSync(file, JSON.stringify([credential], null, 2));
	const r = await cli(['import:credentials', `--input=${file}`]);
	log(dim(`  import:credentials exit ${r.code} in ${lab.secs(r.ms)}`));
	assert(r.code === 0, `import:credentials exited ${r.code}`, lab.tail(r.stdout + r.stderr, 30));
});

const wfImported = ctx.step(
	'cli: n8n import:workflow (Manual Trigger → Mattermost Suite post)',
	async () => {
		const file = path.join(ctx.work, 'workflow.json');
		fs.writeFileSync(file, JSON.stringify(workflow, null, 2));
		const r = await cli(['import:workflow', `--input=${file}`]);
		log(dim(`  import:workflow exit ${r.code} in ${lab.secs(r.ms)}`));
		assert(r.code === 0, `import:workflow exited ${r.code}`, lab.tail(r.stdout + r.stderr, 30));
	},
	{ needs: [imported] },
);

ctx.step(
	'cli: n8n execute --rawOutput posts exactly one message',
	async () => {
		const before = mm.requests.length;
		const r = await cli(['execute', `--id=${workflow.id}`, '--rawOutput']);
		log(dim(`  execute exit ${r.code} in ${lab.secs(r.ms)}`));
		assert(r.code === 0, `n8n execute exited ${r.code}`, lab.tail(r.stdout + r.stderr, 40));
		const out = lab.parseRawOutput(r.stdout);
		const runData = out.data || out;
		const { items, error } = lab.nodeOutput(runData, lab.POST_NODE);
		assert(!error, 'the Mattermost Suite node reported an error', error);
		assert(items.length === 1, `expected 1 output item, got ${items.length}`, items);
		const item = items[0];
		const posts = mm.postsIn(channel.id).filter((p) => String(p.message).includes(marker));
		assert(posts.length === 1, `expected exactly 1 post with ${marker} in ${channel.name}, found ${posts.length}`, posts);
		assert(item.id === posts[0].id, `output item id ${item.id} is not the created post's id ${posts[0].id}`, item);
		assert(String(item.message).includes(marker), 'output item does not carry the message', item);
		assert(item.channel_id === undefined || item.channel_id === channel.id, 'output item has another channel_id', item);
		const sent = mm.requests.slice(before).filter((q) => q.method === 'POST' && /\/api\/v4\/posts\/?$/.test(q.path));
		assert(sent.length === 1, `expected 1 POST /api/v4/posts, saw ${sent.length}`);
		const auth = sent[0].headers.authorization || sent[0].headers.Authorization;
		assert(auth === `Bearer ${seed.tokens.bot}`, `POST /posts was not sent with the bot token (authorization: ${auth})`);
		log(`  created post ${bold(item.id)} in ${channel.display_name || channel.name}: ${JSON.stringify(item.message)}`);
	},
	{ needs: [wfImported] },
);
