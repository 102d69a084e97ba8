'use strict';
const { errors } = require('../app-error');
const { reply } = require('../context');
const { postView } = require('../serialize');

// Test-only control API under /__fake/: no auth, not recorded, no faults, no contract checks.

function faultJson(fault) {
	return {
		...fault,
		path: fault.path instanceof RegExp ? String(fault.path) : fault.path,
		times: fault.times === Infinity ? null : fault.times,
	};
}

function allPosts(ctx) {
	const channelId = ctx.query.channel_id;
	const posts = [...ctx.state.posts.values()]
		.filter((p) => !channelId || p.channel_id === channelId)
		.sort((a, b) => a.create_at - b.create_at);
	return reply.ok(posts.map((p) => postView(p, ctx.state)));
}

function addFault(ctx) {
	try {
		return reply.created(faultJson(ctx.mm.addFault(ctx.json('fault'))));
	} catch (error) {
		if (error.statusCode) throw error;
		throw errors.badRequest('fake.fault.invalid', error.message);
	}
}

function setDown(ctx) {
	ctx.mm.down = ctx.json('down').down === true;
	return reply.statusOk();
}

function updateConfig(ctx) {
	Object.assign(ctx.config, ctx.json('config'));
	return reply.ok(ctx.config);
}

const control = (handler) => [handler, { auth: false }];

module.exports = [
	['GET', '/__fake/posts', ...control(allPosts)],
	['GET', '/__fake/requests', ...control((ctx) => reply.ok(ctx.mm.requests))],
	['POST', '/__fake/reset-requests', ...control((ctx) => (ctx.mm.clearRequests(), reply.statusOk()))],
	['GET', '/__fake/faults', ...control((ctx) => reply.ok(ctx.mm.faults.map(faultJson)))],
	['POST', '/__fake/faults', ...control(addFault)],
	['DELETE', '/__fake/faults', ...control((ctx) => (ctx.mm.clearFaults(), reply.statusOk()))],
	['POST', '/__fake/down', ...control(setDown)],
	['GET', '/__fake/contract-violations', ...control((ctx) => reply.ok(ctx.mm.contractViolations))],
	['PUT', '/__fake/config', ...control(updateConfig)],
];
