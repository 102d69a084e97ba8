'use strict';
/**
 * Suite files: File > Download then File > Upload of a 64 MB file in a real n8n, chained in one
 * workflow (the downloaded binary is what gets uploaded). The file the fake stores at the end is
 * byte-identical to the one it served. Run with N8N_DEFAULT_BINARY_DATA_MODE=filesystem to go
 * through n8n's binary data store on disk (the e2e runner passes its environment to n8n).
 */
const crypto = require('node:crypto');
const lab = require('../../scripts/lib/n8n-lab');
const e2e = require('./support');

const { log, assert, bold } = lab;

const SIZE = 64 * 1024 * 1024;
const DOWNLOAD_NODE = 'Download File';
const UPLOAD_NODE = 'Upload File';

function roundTripWorkflow({ fileId, channelId, credential }) {
	const node = (name, position, parameters) => ({
		id: crypto.randomUUID(),
		name,
		type: lab.NODE_TYPE,
		typeVersion: 1,
		position,
		parameters,
		credentials: { [lab.CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
	});
	const main = (target) => ({ main: [[{ node: target, type: 'main', index: 0 }]] });
	return {
		name: 'E2E files',
		// n8n 1.x stores no workflow without it.
		active: false,
		nodes: [
			{ id: crypto.randomUUID(), name: lab.MANUAL_TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			node(DOWNLOAD_NODE, [200, 0], { resource: 'file', operation: 'download', fileId }),
			node(UPLOAD_NODE, [400, 0], { resource: 'file', operation: 'upload', channelId: { __rl: true, mode: 'id', value: channelId } }),
		],
		connections: { [lab.MANUAL_TRIGGER]: main(DOWNLOAD_NODE), [DOWNLOAD_NODE]: main(UPLOAD_NODE) },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

const ctx = e2e.suite('files');
let mm;
let seed;
let channel;
let rest;
ctx.before(() => ({ mm, seed, channel, rest } = ctx));
const setup = ctx.step(`files: a ${SIZE / 1024 / 1024} MB file stored by the bot, a credential and a Download → Upload workflow`, async () => {
	mm.config.maxFileSizeBytes = Math.max(mm.config.maxFileSizeBytes, 2 * SIZE);
	const content = crypto.randomBytes(SIZE);
	const file = mm.state.createFile({ user_id: seed.bot.id, channel_id: channel.id, name: 'e2e-archive.bin', mime_type: 'application/octet-stream', content });
	const cred = await rest.post('/rest/credentials', lab.credentialFixture({ name: 'E2E bot (files)', baseUrl: mm.url, accessToken: seed.tokens.bot }));
	const credential = { id: cred?.data?.id, name: cred?.data?.name };
	assert(credential.id, 'POST /rest/credentials answered no id', cred);
	const res = await rest.post('/rest/workflows', roundTripWorkflow({ fileId: file.id, channelId: channel.id, credential }));
	assert(res?.data?.id, 'POST /rest/workflows answered no id', res);
	return { workflow: res.data, sha256: crypto.createHash('sha256').update(content).digest('hex') };
});

ctx.step('files: the workflow downloads the file and uploads it again, byte-identical', async (setup) => {
	const executionId = await lab.runWorkflow(rest, setup.workflow.id, lab.MANUAL_TRIGGER);
	const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 180000 });
	assert(ex.status === 'success', `execution ${executionId}: status ${ex.status}`, ex.data?.resultData?.error);
	const uploaded = ex.data?.resultData?.runData?.[UPLOAD_NODE]?.[0]?.data?.main?.[0]?.[0]?.json;
	assert(uploaded?.id, 'the Upload node returned no file info', uploaded);
	const stored = mm.state.files.get(uploaded.id);
	assert(stored && stored.size === SIZE, `the fake holds ${stored?.size} bytes, expected ${SIZE}`);
	const sha256 = crypto.createHash('sha256').update(stored.content).digest('hex');
	assert(sha256 === setup.sha256, 'the uploaded file differs from the downloaded one');
	log(`  ${bold(SIZE / 1024 / 1024)} MB down and up again, sha256 ${sha256.slice(0, 12)}…, binary data mode ${process.env.N8N_DEFAULT_BINARY_DATA_MODE || 'n8n default'}`);
	return true;
}, { needs: [setup] });
