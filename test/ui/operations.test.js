'use strict';
/**
 * Every operation of the action node, one test each: its panel opens in n8n's editor with its
 * labels, and with the bot's (valid) credential shows no load error and no credential issue. One
 * workflow per resource, opened once; each node's panel is opened from the canvas (no page load
 * per operation). The list comes from the built description (dist/, which scripts/ui/test-ui.js
 * builds before the files load).
 *
 *   npm run test:ui -- --test-name-pattern="^operation"        # only these
 *   UI_OPERATIONS=first npm run test:ui                        # the first operation of each resource only
 */

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const session = require('./session');

let ui;
const workflows = new Map();
let shownWorkflow;

const all = session.operationsOf();
const operations = process.env.UI_OPERATIONS === 'first' ? all.filter((op, i) => all.findIndex((o) => o.resource === op.resource) === i) : all;

before(async () => {
	ui = await session.start();
	const byResource = new Map();
	for (const op of operations) byResource.set(op.resource, [...(byResource.get(op.resource) || []), op]);
	for (const [resource, ops] of byResource) {
		const nodes = ops.map((op, i) => ui.actionNode(op.action, { resource: op.resource, operation: op.operation }, [(i % 5) * 300, Math.floor(i / 5) * 250]));
		workflows.set(resource, await ui.createWorkflow(`UI: ${ops[0].resourceName} operations`, nodes));
	}
});

after(() => session.stop());

for (const op of operations) {
	test(`operation panel: ${op.resourceName}: ${op.action}`, { timeout: 180000 }, async () => {
		const { editor } = ui;
		const wf = workflows.get(op.resource);
		if (shownWorkflow !== wf.id || !editor.page.url().includes(`/workflow/${wf.id}`)) {
			await editor.openWorkflow(wf.id);
			shownWorkflow = wf.id;
		}
		await editor.switchToNode(op.action);
		await editor.settle();
		const text = await editor.ndvText();
		const labels = await editor.parameterLabels();
		assert.ok(labels.length >= 2, `labels: ${labels}`);
		assert.doesNotMatch(text, /Could not load|Error fetching options|Issues:/, text.slice(0, 400));
		const issues = await editor.parameterIssueTexts();
		assert.deepEqual(issues.filter((s) => /credential|could not|error/i.test(s)), [], `issues: ${issues}`);
	});
}
