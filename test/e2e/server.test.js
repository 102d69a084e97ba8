'use strict';
/**
 * Suite server: n8n start (with the package installed from its tarball as a community package),
 * owner setup, node and credential types listed, the credential test (good token, bad token,
 * closed port), a workflow created and run over REST.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const lab = require('../../scripts/lib/n8n-lab');
const e2e = require('./support');

const { log, assert, bold } = lab;

const ctx = e2e.suite('server');
let mm;
let seed;
let channel;
let rest;
ctx.before(() => ({ mm, seed, channel, rest } = ctx));

ctx.step('server: the package in the user folder lists its nodes and credentials and holds their files', () => {
	const packageDir = path.join(ctx.userFolder, '.n8n', 'nodes', 'node_modules', ...lab.PACKAGE_NAME.split('/'));
	const pj = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const listed = [...(pj.n8n?.nodes || []), ...(pj.n8n?.credentials || [])];
	assert(listed.length >= 2, 'the packed package.json has no n8n nodes/credentials', pj.n8n);
	const absent = listed.filter((p) => !fs.existsSync(path.join(packageDir, p)));
	assert(!absent.length, `the tarball lacks files its package.json lists: ${absent.join(', ')}`);
});

ctx.step(
	'server: GET /types/nodes.json lists the node',
	async () => {
		const types = await rest.get('/types/nodes.json');
		assert(Array.isArray(types), 'nodes.json is not an array', typeof types);
		const node = types.find((n) => n.name === lab.NODE_TYPE);
		assert(node, `${lab.NODE_TYPE} is not among ${types.length} node types`);
		assert([].concat(node.version).includes(1), `typeVersion 1 missing (version ${JSON.stringify(node.version)})`);
		const creds = (node.credentials || []).map((c) => c.name);
		assert(creds.includes(lab.CREDENTIAL_TYPE), `node does not use ${lab.CREDENTIAL_TYPE} (uses ${creds})`);
		log(`  ${lab.NODE_TYPE}: displayName ${JSON.stringify(node.displayName)}, version ${JSON.stringify(node.version)}`);
	},
);

ctx.step(
	'server: GET /types/credentials.json lists the credential type',
	async () => {
		const types = await rest.get('/types/credentials.json');
		const cred = Array.isArray(types) && types.find((c) => c.name === lab.CREDENTIAL_TYPE);
		assert(cred, `${lab.CREDENTIAL_TYPE} is not among the credential types`);
		log(`  ${lab.CREDENTIAL_TYPE}: displayName ${JSON.stringify(cred.displayName)}`);
	},
);

const credData = (over) => ({ accessToken: seed.tokens.bot, baseUrl: mm.url, allowUnauthorizedCerts: false, ...over });

ctx.step(
	'server: credential test with the bot token → OK',
	async () => {
		const r = await lab.testCredential(rest, lab.CREDENTIAL_TYPE, credData());
		log(`  → ${JSON.stringify(r)}`);
		assert(r && r.status === 'OK', 'expected status OK', r);
	},
);

ctx.step(
	'server: credential test with a bad token → Error mentioning the token',
	async () => {
		const r = await lab.testCredential(rest, lab.CREDENTIAL_TYPE, credData({ accessToken: 'not-a-valid-token' }));
		log(`  → ${JSON.stringify(r)}`);
		assert(r && r.status === 'Error', 'expected status Error', r);
		assert(/token/i.test(r.message || ''), 'the message does not mention the token', r);
	},
);

ctx.step(
	'server: credential test with a closed port → Error',
	async () => {
		const port = await lab.freePort(); // nothing listens there
		const r = await lab.testCredential(rest, lab.CREDENTIAL_TYPE, credData({ baseUrl: `http://127.0.0.1:${port}` }));
		log(`  → ${JSON.stringify(r)}`);
		assert(r && r.status === 'Error', 'expected status Error', r);
		assert(r.message, 'the error has no message', r);
	},
);

const marker = `e2e-rest-${crypto.randomBytes(6).toString('hex')}`;
const created = ctx.step(
	'server: create credential + workflow over REST',
	async () => {
		const credential = await lab.createCredential(rest, { name: 'E2E bot (REST)', baseUrl: mm.url, accessToken: seed.tokens.bot });
		const wfBody = lab.postWorkflowFixture({
			name: 'E2E REST: post a message',
			channelId: channel.id,
			message: `Hello from the n8n editor API (${marker})`,
			credential,
		});
		const workflow = await lab.createWorkflow(rest, wfBody);
		log(`  credential ${credential.id}, workflow ${workflow.id}`);
		return { credential, workflow };
	},
);

ctx.step(
	'server: run the workflow (POST /rest/workflows/:id/run) and the post lands',
	async (created) => {
		const executionId = await lab.runWorkflow(rest, created.workflow.id, lab.MANUAL_TRIGGER);
		const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 60000 });
		const { items, error } = lab.nodeOutput(ex.data, lab.POST_NODE);
		log(`  execution ${executionId}: ${ex.status}`);
		assert(ex.status === 'success', `execution status ${ex.status}`, error || ex.execution);
		assert(items.length === 1, `expected 1 output item, got ${items.length}`, items);
		const posts = mm.postsIn(channel.id).filter((p) => String(p.message).includes(marker));
		assert(posts.length === 1, `expected exactly 1 post with ${marker}, found ${posts.length}`, posts);
		assert(items[0].id === posts[0].id, `output id ${items[0].id} ≠ post id ${posts[0].id}`, items[0]);
		log(`  created post ${bold(items[0].id)}`);
	},
	{ needs: [created] },
);
