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
	const credentials = lab.credentialRef(credential);
	return lab.workflowOf({
		name: 'E2E files',
		nodes: [
			lab.manualTriggerNode(),
			lab.workflowNode(DOWNLOAD_NODE, lab.NODE_TYPE, [200, 0], { resource: 'file', operation: 'download', fileId }, { credentials }),
			lab.workflowNode(UPLOAD_NODE, lab.NODE_TYPE, [400, 0], { resource: 'file', operation: 'upload', channelId: lab.byId(channelId) }, { credentials }),
		],
		links: { [lab.MANUAL_TRIGGER]: DOWNLOAD_NODE, [DOWNLOAD_NODE]: UPLOAD_NODE },
	});
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
	const credential = await lab.createCredential(rest, { name: 'E2E bot (files)', baseUrl: mm.url, accessToken: seed.tokens.bot });
	const workflow = await lab.createWorkflow(rest, roundTripWorkflow({ fileId: file.id, channelId: channel.id, credential }));
	return { workflow, sha256: crypto.createHash('sha256').update(content).digest('hex') };
});

ctx.step('files: the workflow downloads the file and uploads it again, byte-identical', async (setup) => {
	const executionId = await lab.runWorkflow(rest, setup.workflow.id, lab.MANUAL_TRIGGER);
	const ex = await lab.waitForExecution(rest, executionId, { timeoutMs: 180000 });
	assert(ex.status === 'success', `execution ${executionId}: status ${ex.status}`, ex.data?.resultData?.error);
	const [uploaded] = lab.nodeOutput(ex.data, UPLOAD_NODE).items;
	assert(uploaded?.id, 'the Upload node returned no file info', uploaded);
	const stored = mm.state.files.get(uploaded.id);
	assert(stored && stored.size === SIZE, `the fake holds ${stored?.size} bytes, expected ${SIZE}`);
	const sha256 = crypto.createHash('sha256').update(stored.content).digest('hex');
	assert(sha256 === setup.sha256, 'the uploaded file differs from the downloaded one');
	log(`  ${bold(SIZE / 1024 / 1024)} MB down and up again, sha256 ${sha256.slice(0, 12)}…, binary data mode ${process.env.N8N_DEFAULT_BINARY_DATA_MODE || 'n8n default'}`);
	return true;
}, { needs: [setup] });
