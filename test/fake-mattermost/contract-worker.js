'use strict';
// Runs in a worker thread: loads the OpenAPI description once and validates requests on demand.
// A worker because openapi-backend require()s an ES module (json-schema-ref-parser), which Node
// >= 20.19 allows but Jest's module sandbox refuses; a worker uses Node's own module loader.
const fs = require('fs');
const { parentPort, workerData } = require('worker_threads');

/**
 * Corrections for the few places where following the spec cannot work against the real server.
 * Everything else stays as strict as the spec, even where the server is more lenient, because a
 * spec-conforming request also works on the server.
 */
const SPEC_CORRECTIONS = [
	{
		// server/channels/api4/user.go autocompleteUsers reads `in_team` and `in_channel`; the spec
		// calls them `team_id` and `channel_id`, which the server ignores (so the filter is lost).
		path: '/api/v4/users/autocomplete',
		method: 'get',
		apply(operation) {
			const renamed = { team_id: 'in_team', channel_id: 'in_channel' };
			operation.parameters = operation.parameters.map((p) => (renamed[p.name] ? { ...p, name: renamed[p.name] } : p));
		},
	},
	{
		// server/public/model/post.go PostPatch.Props is a *StringInterface (a JSON object); the
		// spec types it as a string, which the server refuses with 400.
		path: '/api/v4/posts/{post_id}/patch',
		method: 'put',
		apply(operation) {
			operation.requestBody.content['application/json'].schema.properties.props = { type: 'object' };
		},
	},
];

function correctSpec(definition) {
	for (const { path, method, apply } of SPEC_CORRECTIONS) {
		const operation = definition.paths[path] && definition.paths[path][method];
		if (operation) apply(operation);
	}
	return definition;
}

/**
 * Validates one request against the matched operation: path and query parameters and, for JSON
 * bodies, the body schema. Headers are left out (the spec declares none; auth is checked by the
 * fake itself). Returns a list of errors, empty when the request conforms.
 */
function validateRequest(api, { method, path, query, contentType, body, bodyUnchecked }) {
	const request = {
		method: method.toLowerCase(),
		path,
		query,
		headers: contentType ? { 'content-type': contentType } : {},
		body: bodyUnchecked ? undefined : body,
	};
	const operation = api.matchOperation(request);
	if (!operation) {
		return [{ message: `no operation in the OpenAPI description matches ${method} ${path}` }];
	}
	if (!operation.operationId) {
		// 12 content_flagging operations have no operationId; openapi-backend cannot validate those.
		return [];
	}
	let errors = api.validateRequest(request, operation).errors || [];
	if (bodyUnchecked) {
		// Multipart bodies are not JSON, so their schema cannot be applied (the fake checks the form
		// fields itself, as the server does), and bodies over the size limit were not kept.
		// Parameters (query, path) are still validated.
		errors = errors.filter((e) => !e.instancePath.startsWith('/requestBody') && e.params?.missingProperty !== 'requestBody');
	}
	return errors.map((e) => ({
		operationId: operation.operationId,
		instancePath: e.instancePath,
		message: e.message,
		params: e.params,
	}));
}

async function main() {
	let api;
	try {
		const { OpenAPIBackend } = require('openapi-backend');
		const definition = correctSpec(JSON.parse(fs.readFileSync(workerData.specPath, 'utf8')));
		api = new OpenAPIBackend({ definition, quick: true, strict: false, validate: true });
		await api.init();
	} catch (error) {
		parentPort.postMessage({ type: 'failed', message: error.message });
		return;
	}
	parentPort.on('message', ({ id, request }) => {
		let errors;
		try {
			errors = validateRequest(api, request);
		} catch (error) {
			errors = [{ message: `validator failed: ${error.message}` }];
		}
		parentPort.postMessage({ type: 'result', id, errors });
	});
	parentPort.postMessage({ type: 'ready' });
}

main();
