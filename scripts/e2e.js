#!/usr/bin/env node
'use strict';
/**
 * End-to-end test against a real n8n (pinned in scripts/install-n8n.sh, run on Node 24) with this
 * package installed from its `npm pack` tarball exactly as n8n's community-package installer does,
 * talking to the fake Mattermost server (test/fake-mattermost) running in this process.
 *
 *   npm run test:e2e                 # everything
 *   E2E_ONLY=cli npm run test:e2e    # only some suites (comma-separated: cli,server)
 *   E2E_KEEP=1 npm run test:e2e      # keep the temp folders (user folder, logs, tarball)
 *
 * Suites:
 *   cli     n8n import:credentials + import:workflow + execute --rawOutput (no server)
 *   server  n8n start, owner setup, node/credential types, credential test (good/bad/unreachable),
 *           workflow created and run over REST
 * Add a suite by writing `async function mySuite(t, ctx)` and listing it in SUITES.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const lab = require('./lib/n8n-lab');

const { log, assert, bold, dim } = lab;

const TIMEOUT_S = Number(process.env.E2E_TIMEOUT_S || 420); // after the n8n install (cold: +6 min)
const ENCRYPTION_KEY = `e2e-${crypto.randomBytes(16).toString('hex')}`;

// ---------------------------------------------------------------------------------------------
// Suite: CLI (import + execute)
// ---------------------------------------------------------------------------------------------

async function cliSuite(t, ctx) {
	const { mm, seed } = ctx.fake;
	const channel = ctx.channel;
	const cliLog = path.join(ctx.work, 'n8n-cli.log');
	ctx.logs.push(cliLog);
	const cli = (args) => lab.runN8nCli(args, { userFolder: ctx.userFolder, encryptionKey: ENCRYPTION_KEY, logFile: cliLog });

	const credential = lab.credentialFixture({ id: lab.n8nId(), name: 'E2E bot (CLI)', baseUrl: mm.url, accessToken: seed.tokens.bot });
	const marker = `e2e-cli-${crypto.randomBytes(6).toString('hex')}`;
	const workflow = lab.postWorkflowFixture({
		id: lab.n8nId(),
		name: 'E2E CLI: post a message',
		channelId: channel.id,
		message: `Hello from the n8n CLI (${marker})`,
		credential,
	});

	const imported = await t.step('cli: n8n import:credentials (bot token)', async () => {
		const file = path.join(ctx.work, 'credentials.json');
		fs.writeFileSync(file, JSON.stringify([credential], null, 2));
		const r = await cli(['import:credentials', `--input=${file}`]);
		log(dim(`  import:credentials exit ${r.code} in ${lab.secs(r.ms)}`));
		assert(r.code === 0, `import:credentials exited ${r.code}`, lab.tail(r.stdout + r.stderr, 30));
	});

	const wfImported = await t.step(
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

	await t.step(
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
}

// ---------------------------------------------------------------------------------------------
// Suite: server (n8n start + REST)
// ---------------------------------------------------------------------------------------------

async function serverSuite(t, ctx) {
	const { mm, seed } = ctx.fake;
	const channel = ctx.channel;

	const server = await t.step('server: n8n start (until "Editor is now accessible")', async () => {
		const s = await lab.startN8n({
			userFolder: ctx.userFolder,
			encryptionKey: ENCRYPTION_KEY,
			logFile: path.join(ctx.work, 'n8n-server.log'),
		});
		ctx.logs.push(s.logFile);
		log(`  n8n ${ctx.install.version} at ${s.url}`);
		return s;
	});

	const rest = await t.step('server: owner setup (POST /rest/owner/setup)', () => lab.setupOwner(server.url), { needs: [server] });

	await t.step(
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
		{ needs: [rest] },
	);

	await t.step(
		'server: GET /types/credentials.json lists the credential type',
		async () => {
			const types = await rest.get('/types/credentials.json');
			const cred = Array.isArray(types) && types.find((c) => c.name === lab.CREDENTIAL_TYPE);
			assert(cred, `${lab.CREDENTIAL_TYPE} is not among the credential types`);
			log(`  ${lab.CREDENTIAL_TYPE}: displayName ${JSON.stringify(cred.displayName)}`);
		},
		{ needs: [rest] },
	);

	const credData = (over) => ({ accessToken: seed.tokens.bot, baseUrl: mm.url, allowUnauthorizedCerts: false, ...over });

	await t.step(
		'server: credential test with the bot token → OK',
		async () => {
			const r = await lab.testCredential(rest, lab.CREDENTIAL_TYPE, credData());
			log(`  → ${JSON.stringify(r)}`);
			assert(r && r.status === 'OK', 'expected status OK', r);
		},
		{ needs: [rest] },
	);

	await t.step(
		'server: credential test with a bad token → Error mentioning the token',
		async () => {
			const r = await lab.testCredential(rest, lab.CREDENTIAL_TYPE, credData({ accessToken: 'not-a-valid-token' }));
			log(`  → ${JSON.stringify(r)}`);
			assert(r && r.status === 'Error', 'expected status Error', r);
			assert(/token/i.test(r.message || ''), 'the message does not mention the token', r);
		},
		{ needs: [rest] },
	);

	await t.step(
		'server: credential test with a closed port → Error',
		async () => {
			const port = await lab.freePort(); // nothing listens there
			const r = await lab.testCredential(rest, lab.CREDENTIAL_TYPE, credData({ baseUrl: `http://127.0.0.1:${port}` }));
			log(`  → ${JSON.stringify(r)}`);
			assert(r && r.status === 'Error', 'expected status Error', r);
			assert(r.message, 'the error has no message', r);
		},
		{ needs: [rest] },
	);

	const marker = `e2e-rest-${crypto.randomBytes(6).toString('hex')}`;
	const created = await t.step(
		'server: create credential + workflow over REST',
		async () => {
			const cred = await rest.post('/rest/credentials', lab.credentialFixture({ name: 'E2E bot (REST)', baseUrl: mm.url, accessToken: seed.tokens.bot }));
			const credential = { id: cred.data.id, name: cred.data.name };
			assert(credential.id, 'POST /rest/credentials answered no id', cred);
			const wfBody = lab.postWorkflowFixture({
				name: 'E2E REST: post a message',
				channelId: channel.id,
				message: `Hello from the n8n editor API (${marker})`,
				credential,
			});
			delete wfBody.active;
			const wf = await rest.post('/rest/workflows', wfBody);
			assert(wf.data && wf.data.id, 'POST /rest/workflows answered no id', wf);
			log(`  credential ${credential.id}, workflow ${wf.data.id}`);
			return { credential, workflow: wf.data };
		},
		{ needs: [rest] },
	);

	await t.step(
		'server: run the workflow (POST /rest/workflows/:id/run) and a second post lands',
		async () => {
			const executionId = await lab.runWorkflow(rest, created.workflow.id, lab.MANUAL_TRIGGER);
			const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 60000 });
			const { items, error } = lab.nodeOutput(ex.data, lab.POST_NODE);
			log(`  execution ${executionId}: ${ex.status}`);
			assert(ex.status === 'success', `execution status ${ex.status}`, error || ex.execution);
			assert(items.length === 1, `expected 1 output item, got ${items.length}`, items);
			const posts = mm.postsIn(channel.id).filter((p) => String(p.message).includes(marker));
			assert(posts.length === 1, `expected exactly 1 post with ${marker}, found ${posts.length}`, posts);
			assert(items[0].id === posts[0].id, `output id ${items[0].id} ≠ post id ${posts[0].id}`, items[0]);
			const all = mm.postsIn(channel.id).filter((p) => /e2e-(cli|rest)-/.test(String(p.message)));
			log(`  created post ${bold(items[0].id)}; e2e posts now in ${channel.name}: ${all.length}`);
		},
		{ needs: [created] },
	);

	if (server) {
		await t.step('server: stop n8n', () => server.stop());
	}
}

const SUITES = { cli: cliSuite, server: serverSuite };

// ---------------------------------------------------------------------------------------------

async function main() {
	const t = lab.createRunner('e2e');
	const ctx = { logs: [] };
	let printedLogs = false;
	const printLogs = () => {
		if (printedLogs) return;
		printedLogs = true;
		for (const file of ctx.logs) {
			if (!fs.existsSync(file)) continue;
			console.log(`\n----- last lines of ${file}`);
			console.log(lab.tailFile(file, 80));
		}
	};
	lab.installSignalHandlers({ onSignal: printLogs });

	const only = (process.env.E2E_ONLY || '').split(',').map((s) => s.trim()).filter(Boolean);
	const unknown = only.filter((s) => !SUITES[s]);
	if (unknown.length) throw new Error(`unknown suite(s) in E2E_ONLY: ${unknown.join(', ')} (known: ${Object.keys(SUITES).join(', ')})`);

	log(bold(`e2e for ${lab.PACKAGE_NAME}@${lab.PACKAGE_VERSION}`));
	ctx.install = await t.step('install Node 24 + n8n (cached in ~/.cache)', async () => {
		const i = await lab.ensureN8n();
		log(`  n8n ${i.version} in ${i.n8nDir}`);
		return i;
	});

	const watchdog = setTimeout(() => {
		t.fail(`whole run within E2E_TIMEOUT_S=${TIMEOUT_S} s`, new Error('timed out'));
		printLogs();
		lab.cleanup().finally(() => {
			console.log(lab.red(t.summary()));
			process.exit(1);
		});
	}, TIMEOUT_S * 1000);

	const built = await t.step('build if dist/ is missing or stale', async () => {
		const r = await lab.ensureBuilt();
		if (!r.built) log('  dist/ is up to date');
	});

	ctx.work = lab.makeTempDir('mm-suite-e2e');
	log(`  work folder ${ctx.work}`);
	ctx.tarball = await t.step(
		'npm pack',
		async () => {
			const tarball = await lab.packPackage(path.join(ctx.work, 'pack'));
			log(`  ${path.basename(tarball)} (${(fs.statSync(tarball).size / 1024).toFixed(1)} KiB)`);
			return tarball;
		},
		{ needs: [built] },
	);

	const folder = await t.step(
		'install the tarball as a community package (.n8n/nodes/node_modules)',
		async () => {
			const f = await lab.createUserFolder({ tarball: ctx.tarball, dir: path.join(ctx.work, 'user') });
			const pj = JSON.parse(fs.readFileSync(path.join(f.packageDir, 'package.json'), 'utf8'));
			const listed = [...(pj.n8n?.nodes || []), ...(pj.n8n?.credentials || [])];
			assert(listed.length >= 2, 'the packed package.json has no n8n nodes/credentials', pj.n8n);
			const absent = listed.filter((p) => !fs.existsSync(path.join(f.packageDir, p)));
			assert(!absent.length, `the tarball lacks files its package.json lists: ${absent.join(', ')}`);
			ctx.userFolder = f.userFolder;
			return f;
		},
		{ needs: [ctx.tarball] },
	);

	ctx.fake = await t.step('start + seed the fake Mattermost (in-process)', async () => {
		const fake = await lab.startFakeMattermost();
		const ch = fake.seed.channels.townSquare;
		ctx.channel = ch;
		log(`  ${fake.mm.url}, channel ${ch.name} (${ch.id}), bot @${fake.seed.bot.username || fake.seed.bot.id}`);
		return fake;
	});

	const ready = Boolean(ctx.install && folder && ctx.fake);
	for (const [name, suite] of Object.entries(SUITES)) {
		if (only.length && !only.includes(name)) continue;
		if (!ready) {
			await t.step(`suite ${name}`, () => {}, { needs: [false] });
			continue;
		}
		log(bold(`— suite: ${name}`));
		await suite(t, ctx);
	}

	clearTimeout(watchdog);
	if (t.failed) printLogs();
	await lab.cleanup();
	console.log(`\n${lab.secs(process.uptime() * 1000)} total`);
	const line = t.summary();
	console.log(t.failed ? lab.red(line) : lab.green(line));
	process.exit(t.failed ? 1 : 0);
}

main().catch(async (err) => {
	console.error(lab.red('e2e: crashed:'), (err && err.stack) || err);
	await lab.cleanup();
	console.log('e2e: 0 passed, 1 failed');
	process.exit(1);
});
