#!/usr/bin/env node
'use strict';
/**
 * The newcomer's demo: `npm install && npm start`.
 *
 * Builds the package if needed, installs a pinned n8n (once, cached in ~/.cache), installs this
 * package into a persistent demo n8n (.e2e/demo-n8n, git-ignored) from its `npm pack` tarball,
 * starts a fake Mattermost with sample data and n8n with the package, signs in (creating the
 * owner the first time), and makes sure a credential for the fake server and an example workflow
 * exist. Then it prints how to log in and waits for Ctrl+C.
 *
 *   npm start                 # interactive; Ctrl+C stops n8n and the fake server
 *   npm start -- --check      # same, then verify the editor + workflow, run it once, stop, exit 0
 *   npm start -- --fresh      # forget the demo n8n (delete .e2e/demo-n8n) first
 *
 * Environment: DEMO_N8N_PORT (default 5678 if free), DEMO_MM_PORT (default 8065 if free),
 * DEMO_DIR (default <project>/.e2e/demo-n8n).
 */

const fs = require('node:fs');
const path = require('node:path');
const lab = require('./lib/n8n-lab');

const { log, bold, green, dim, assert } = lab;

const args = process.argv.slice(2);
const CHECK = args.includes('--check');
const FRESH = args.includes('--fresh');
const DEMO_DIR = path.resolve(process.env.DEMO_DIR || path.join(lab.ROOT, '.e2e', 'demo-n8n'));
const OWNER = {
	email: 'demo@example.com',
	firstName: 'Demo',
	lastName: 'User',
	password: 'Mattermost-Demo-1',
};
const CREDENTIAL_NAME = 'Mattermost Suite (fake server)';
const WORKFLOW_NAME = 'Mattermost Suite example: post a message';

async function upsertCredential(rest, data) {
	const list = await rest.get('/rest/credentials');
	const existing = (list.data || []).find((c) => c.name === CREDENTIAL_NAME && c.type === lab.CREDENTIAL_TYPE);
	const body = { name: CREDENTIAL_NAME, type: lab.CREDENTIAL_TYPE, data };
	if (existing) {
		// The fake server's URL and tokens change from run to run: refresh the stored data.
		const res = await rest.patch(`/rest/credentials/${existing.id}`, body);
		return { id: res.data?.id || existing.id, name: CREDENTIAL_NAME, created: false };
	}
	const res = await rest.post('/rest/credentials', body);
	return { id: res.data.id, name: CREDENTIAL_NAME, created: true };
}

async function upsertWorkflow(rest, { channelId, credential }) {
	const fixture = lab.postWorkflowFixture({
		name: WORKFLOW_NAME,
		channelId,
		message: 'Hello from n8n! :wave: This message was posted by the Mattermost Suite node.',
		credential,
	});
	delete fixture.active;
	const list = await rest.get('/rest/workflows');
	const existing = (list.data || []).find((w) => w.name === WORKFLOW_NAME && !w.isArchived);
	if (!existing) {
		const res = await rest.post('/rest/workflows', fixture);
		return { ...res.data, created: true };
	}
	// Keep the user's edits, but point the example's Mattermost nodes at this run's channel ids
	// and credential (the fake server makes new ids on every start).
	const full = (await rest.get(`/rest/workflows/${existing.id}`)).data;
	let touched = false;
	for (const node of full.nodes || []) {
		if (node.type !== lab.NODE_TYPE) continue;
		node.credentials = { ...(node.credentials || {}), [lab.CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
		const ch = node.parameters && node.parameters.channelId;
		if (ch && typeof ch === 'object' && ch.mode === 'id') ch.value = channelId;
		touched = true;
	}
	if (!touched) return { ...full, created: false };
	const res = await rest.patch(`/rest/workflows/${existing.id}`, {
		versionId: full.versionId,
		name: full.name,
		nodes: full.nodes,
		connections: full.connections,
		settings: full.settings,
	});
	return { ...res.data, created: false };
}

async function main() {
	let stopping = false;
	lab.installSignalHandlers({
		onSignal: () => {
			stopping = true;
		},
	});
	const started = Date.now();
	log(bold(`${lab.PACKAGE_NAME}@${lab.PACKAGE_VERSION}: starting the demo${CHECK ? ' (--check)' : ''}`));

	await lab.ensureBuilt();
	const install = await lab.ensureN8n();
	log(`n8n ${install.version} ready (${install.n8nDir})`);

	if (FRESH && fs.existsSync(DEMO_DIR)) {
		log(`--fresh: removing ${DEMO_DIR}`);
		fs.rmSync(DEMO_DIR, { recursive: true, force: true });
	}
	fs.mkdirSync(DEMO_DIR, { recursive: true });
	const packDir = lab.makeTempDir('mm-suite-demo-pack');
	const tarball = await lab.packPackage(packDir);
	const { userFolder } = await lab.createUserFolder({ tarball, dir: DEMO_DIR });
	log(`installed ${path.basename(tarball)} into ${path.join(DEMO_DIR, '.n8n', 'nodes')}`);

	const mmPort = await lab.preferredPort(Number(process.env.DEMO_MM_PORT || 8065));
	const { mm, seed } = await lab.startFakeMattermost({ port: mmPort });
	const channel = seed.channels.townSquare;
	log(`fake Mattermost at ${mm.url}`);

	const n8nPort = await lab.preferredPort(Number(process.env.DEMO_N8N_PORT || 5678));
	log(`starting n8n on port ${n8nPort} (takes 15-30 s; log: ${path.join(DEMO_DIR, 'n8n.log')})`);
	const logFile = path.join(DEMO_DIR, 'n8n.log');
	fs.rmSync(logFile, { force: true }); // one run's log at a time
	const server = await lab.startN8n({ userFolder, port: n8nPort, logFile });

	const firstRun = await lab.needsOwnerSetup(server.url);
	let rest;
	try {
		rest = firstRun ? await lab.setupOwner(server.url, OWNER) : await lab.login(server.url, OWNER);
	} catch (err) {
		throw new Error(
			`could not sign in as ${OWNER.email} (${err.message}).\n` +
				`The demo n8n in ${DEMO_DIR} has another owner; run \`npm start -- --fresh\` to start over.`,
		);
	}
	log(firstRun ? `created the owner ${OWNER.email}` : `signed in as ${OWNER.email}`);

	const credential = await upsertCredential(rest, { accessToken: seed.tokens.bot, baseUrl: mm.url, allowUnauthorizedCerts: false });
	log(`${credential.created ? 'created' : 'updated'} credential "${CREDENTIAL_NAME}" (${credential.id})`);
	const workflow = await upsertWorkflow(rest, { channelId: channel.id, credential });
	log(`${workflow.created ? 'created' : 'updated'} workflow "${WORKFLOW_NAME}" (${workflow.id})`);

	const editorUrl = `${server.url}/workflow/${workflow.id}`;
	const line = '─'.repeat(72);
	console.log(`
${line}
 ${bold('n8n with n8n-nodes-mattermost-suite is running')}  ${dim(`(ready in ${lab.secs(Date.now() - started)})`)}

 Editor:          ${green(server.url)}
 Example workflow ${green(editorUrl)}
 Log in with:     ${bold(OWNER.email)}  /  ${bold(OWNER.password)}

 Fake Mattermost: ${green(mm.url)}  (API ${mm.url}/api/v4)
   team ${seed.team.display_name || seed.team.name} (${seed.team.id}), channel ${channel.display_name || channel.name} (${channel.id})
   tokens: bot ${seed.tokens.bot}  admin ${seed.tokens.admin}  alice ${seed.tokens.alice}
   posts the workflow made: ${mm.url}/__fake/posts?channel_id=${channel.id}

 Open the example workflow and click "Execute workflow": the message lands in the fake server.
 n8n's data lives in ${DEMO_DIR} (npm start -- --fresh starts over).
${line}
`);

	if (CHECK) {
		log(bold('--check: verifying'));
		const editor = await rest.get('/', { raw: true });
		assert(editor.status === 200 && /<html/i.test(editor.text), `the editor does not answer at ${server.url}/ (HTTP ${editor.status})`);
		log(`  editor answers (HTTP ${editor.status}, ${editor.text.length} bytes)`);
		const wf = (await rest.get(`/rest/workflows/${workflow.id}`)).data;
		assert(wf && wf.name === WORKFLOW_NAME, 'the example workflow is missing', wf);
		const mmNode = wf.nodes.find((n) => n.type === lab.NODE_TYPE);
		assert(mmNode, 'the example workflow has no Mattermost Suite node', wf.nodes);
		log(`  workflow "${wf.name}" exists with node "${mmNode.name}"`);
		const types = await rest.get('/types/nodes.json');
		assert(types.some((n) => n.name === lab.NODE_TYPE), `${lab.NODE_TYPE} is not loaded`);
		log(`  ${lab.NODE_TYPE} is loaded`);
		const before = mm.postsIn(channel.id).length;
		const executionId = await lab.runWorkflow(rest, workflow.id, lab.MANUAL_TRIGGER);
		const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 60000 });
		const { error } = lab.nodeOutput(ex.data, mmNode.name);
		assert(ex.status === 'success', `running the example failed (${ex.status})`, error);
		const after = mm.postsIn(channel.id).length;
		assert(after === before + 1, `expected one new post in ${channel.name}, got ${after - before}`);
		log(`  ran the example: execution ${executionId} ${ex.status}, 1 post in ${channel.name}`);
		await lab.cleanup();
		log(green(`--check passed in ${lab.secs(Date.now() - started)}`));
		process.exit(0);
	}

	console.log(bold('Press Ctrl+C to stop.'));
	const exit = await server.proc.exitPromise;
	if (!stopping) {
		console.error(lab.red(`n8n stopped unexpectedly (${exit.signal || `exit ${exit.code}`}); last log lines:`));
		console.error(server.logTail(30));
		await lab.cleanup();
		process.exit(1);
	}
}

main().catch(async (err) => {
	console.error(lab.red('start: failed:'), (err && err.stack) || err);
	await lab.cleanup();
	process.exit(1);
});
