'use strict';
/**
 * What every UI test file shares: the fake Mattermost, one n8n 2.41.1 with the packed package, its
 * owner, two credentials (the non-admin bot, and the admin for what needs a team admin, such as
 * outgoing webhooks), and one signed-in Chromium page. `start()` is memoized: scripts/ui/test-ui.js
 * runs every test file in one process (`--test-isolation=none`), so the files share one n8n and one
 * browser; a file run on its own starts them for itself.
 *
 * n8n's webhook base URL is the address it listens on (N8N_WEBHOOK_URL), so test webhooks and
 * Send and Wait's resume URLs point where the fake Mattermost can call them.
 */

const crypto = require('node:crypto');
const path = require('node:path');
const lab = require('../../scripts/lib/n8n-lab');
const { EditorPage, launch } = require('./editor-page');

const SHOT_DIRS = [path.join(lab.ROOT, '.e2e', 'ui', 'screenshots')];
if (process.env.UPDATE_SCREENSHOTS === '1') SHOT_DIRS.push(path.join(lab.ROOT, 'docs', 'screenshots'));

let starting;
let stopping;

/** Every operation of the action node, from the built description: [{ resource, resourceName, operation, action }]. */
function operationsOf() {
	const { MattermostSuite } = require(path.join(lab.ROOT, 'dist', 'nodes', 'MattermostSuite', 'MattermostSuite.node.js'));
	const { description } = new MattermostSuite();
	const resourceProp = description.properties.find((p) => p.name === 'resource');
	const ops = [];
	for (const resource of resourceProp.options) {
		const opProp = description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource.value));
		for (const op of opProp.options) ops.push({ resource: resource.value, resourceName: resource.name, operation: op.value, action: op.action || op.name });
	}
	return ops;
}

async function startSession() {
	lab.installSignalHandlers();
	await lab.ensureBuilt();
	const operations = operationsOf();
	const tarball = await lab.packageTarball(lab.makeTempDir('ui-pack'));
	await lab.ensureN8n();
	const { userFolder } = await lab.createUserFolder({ tarball });
	const { mm, seed } = await lab.startFakeMattermost();
	const port = await lab.freePort();
	const base = `http://127.0.0.1:${port}`;
	const server = await lab.startN8n({ userFolder, port, env: { N8N_EDITOR_BASE_URL: base, N8N_WEBHOOK_URL: `${base}/` } });
	// "Editor is now accessible" can come before the database is ready on a busy machine (the
	// owner set-up then answers 503 "Database is not ready!"): wait for n8n's readiness check.
	await lab.waitUntil(async () => (await fetch(`${server.url}/healthz/readiness`).catch(() => ({}))).ok, { timeoutMs: 120000, what: `${server.url}/healthz/readiness` });
	const rest = await lab.setupOwner(server.url);
	const makeCredential = async (name, token) =>
		(await rest.post('/rest/credentials', { name, type: lab.CREDENTIAL_TYPE, data: { accessToken: token, baseUrl: mm.url } })).data;
	const credential = await makeCredential('Mattermost (bot)', seed.tokens.bot);
	const adminCredential = await makeCredential('Mattermost (admin)', seed.tokens.admin);
	const { context, page } = await launch(lab.makeTempDir('ui-chromium'));
	lab.onCleanup(() => context.close().catch(() => {}));
	const editor = new EditorPage(page, server.url);
	await editor.signIn(lab.DEFAULT_OWNER);

	const ui = {
		mm,
		seed,
		server,
		rest,
		editor,
		context,
		credential,
		adminCredential,
		operations,

		async screenshot(name, locator) {
			for (const dir of SHOT_DIRS) await editor.shot(path.join(dir, `${name}.png`), locator);
		},

		/** Renders HTML in a second tab and saves its screenshot like `screenshot` does. */
		async screenshotHtml(name, html) {
			for (const dir of SHOT_DIRS) await editor.shotHtml(path.join(dir, `${name}.png`), html);
		},

		/** A Mattermost Suite node; `cred` defaults to the bot's credential. */
		actionNode(name, parameters, position = [0, 0], cred = credential) {
			return lab.workflowNode(name, lab.NODE_TYPE, position, parameters, { credentials: lab.credentialRef(cred) });
		},

		triggerNode(parameters, cred = credential) {
			return lab.workflowNode(lab.TRIGGER_NODE, lab.TRIGGER_NODE_TYPE, [0, 0], parameters, { credentials: lab.credentialRef(cred), webhookId: crypto.randomUUID() });
		},

		/** A workflow of these nodes; `links` as lab.workflowOf takes them, e.g. { 'Manual Trigger': 'Ask' }. */
		async createWorkflow(name, nodes, links = {}) {
			return await lab.createWorkflow(rest, lab.workflowOf({ name, nodes, links }));
		},
	};
	return ui;
}

/** Starts (once per process) the shared fake, n8n and browser; resolves the session. */
function start() {
	starting ||= startSession();
	return starting;
}

/** Stops everything the session started (once; later calls wait for the first). */
function stop() {
	stopping ||= lab.cleanup();
	return stopping;
}

module.exports = { start, stop, operationsOf };
