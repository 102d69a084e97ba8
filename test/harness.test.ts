/**
 * Self-test of the n8n-core test harness (test/harness): a tiny programmatic node and credential
 * type talk to a node:http server on 127.0.0.1, run inside real n8n-core contexts.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	cleanupBinaryData,
	configureBinaryData,
	errorReports,
	evaluateExpression,
	executeNode,
	listSearch,
	loadOptions,
	runWorkflow,
	testCredential,
	TestCredentialsHelper,
} from './harness';

// ------------------------------------------------------------------ fake server

interface RecordedRequest {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body: unknown;
}

const GOOD_TOKEN = 'tok-good';
const recorded: RecordedRequest[] = [];
let server: http.Server;
let baseUrl: string;

function send(res: http.ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}

beforeAll(async () => {
	server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const body = raw ? (JSON.parse(raw) as unknown) : undefined;
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			recorded.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body });

			if (req.method === 'POST' && url.pathname === '/login') {
				const { password } = body as { password: string };
				return password === 'pw' ? send(res, 200, { token: GOOD_TOKEN }) : send(res, 401, { message: 'bad login' });
			}
			if (req.headers.authorization !== `Bearer ${GOOD_TOKEN}`) {
				return send(res, 401, { message: 'Invalid or expired session' });
			}
			if (req.method === 'GET' && url.pathname === '/me') return send(res, 200, { id: 'me1' });
			if (req.method === 'POST' && url.pathname === '/messages') {
				const { m } = body as { m: string };
				if (m === 'fail') return send(res, 500, { message: 'boom' });
				return send(res, 201, { id: `post-${m}`, echo: body });
			}
			if (req.method === 'GET' && url.pathname === '/channels') {
				const term = url.searchParams.get('term') ?? '';
				const page = Number(url.searchParams.get('page') ?? '0');
				const all = ['town-square', 'off-topic', 'town-hall'].filter((n) => n.includes(term));
				return send(res, 200, { channels: all.slice(page, page + 1), next: page + 1 < all.length ? page + 1 : null });
			}
			send(res, 404, { message: 'not found' });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	cleanupBinaryData();
});

beforeEach(() => {
	recorded.length = 0;
});

// ------------------------------------------------------------------ credential type

const testTokenApi: ICredentialType = {
	name: 'testTokenApi',
	displayName: 'Test Token API',
	properties: [
		{ displayName: 'URL', name: 'url', type: 'string', default: '' },
		{ displayName: 'Token', name: 'token', type: 'string', typeOptions: { password: true }, default: '' },
	],
	authenticate: {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } },
	},
	test: {
		request: { method: 'GET', url: '={{$credentials.url}}/me' },
		rules: [{ type: 'responseCode', properties: { value: 401, message: 'The token was rejected' } }],
	},
};

// ------------------------------------------------------------------ node type

const description: INodeTypeDescription = {
	displayName: 'Harness Probe',
	name: 'harnessProbe',
	group: ['transform'],
	version: 1,
	description: 'Posts messages; makes and reads binary data',
	defaults: { name: 'Harness Probe' },
	inputs: ['main'],
	outputs: ['main'],
	credentials: [{ name: 'testTokenApi', required: true }],
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Post', value: 'post' },
				{ name: 'Make Binary', value: 'makeBinary' },
				{ name: 'Read Binary', value: 'readBinary' },
			],
			default: 'post',
		},
		{ displayName: 'Message', name: 'message', type: 'string', default: '', displayOptions: { show: { operation: ['post'] } } },
		{ displayName: 'Tag', name: 'tag', type: 'string', default: 'default-tag', displayOptions: { show: { operation: ['post'] } } },
		{ displayName: 'Size', name: 'size', type: 'number', default: 16, displayOptions: { show: { operation: ['makeBinary'] } } },
		{
			displayName: 'Channel',
			name: 'channel',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			modes: [{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchChannels' } }],
		},
	],
};

class HarnessProbe implements INodeType {
	description = description;

	methods = {
		listSearch: {
			async searchChannels(
				this: ILoadOptionsFunctions,
				filter?: string,
				paginationToken?: string,
			): Promise<INodeListSearchResult> {
				const { url } = await this.getCredentials<{ url: string }>('testTokenApi');
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'testTokenApi', {
					url: `${url}/channels`,
					qs: { term: filter ?? '', page: paginationToken ?? '0' },
					json: true,
				})) as { channels: string[]; next: number | null };
				return {
					results: response.channels.map((name) => ({
						name: `${name} (${String(this.getCurrentNodeParameter('operation'))})`,
						value: name,
					})),
					paginationToken: response.next === null ? undefined : String(response.next),
				};
			},
		},
		loadOptions: {
			async getChannels(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const { url } = await this.getCredentials<{ url: string }>('testTokenApi');
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'testTokenApi', {
					url: `${url}/channels`,
					json: true,
				})) as { channels: string[] };
				return response.channels.map((name) => ({ name, value: name }));
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as string;
		const out: INodeExecutionData[] = [];

		if (operation === 'makeBinary') {
			for (let i = 0; i < items.length; i++) {
				const size = this.getNodeParameter('size', i) as number;
				const buffer = Buffer.alloc(size);
				for (let b = 0; b < size; b += 4096) buffer[b] = (b / 4096 + i) % 251;
				const data = await this.helpers.prepareBinaryData(buffer, 'blob.bin', 'application/octet-stream');
				out.push({
					json: { sha256: createHash('sha256').update(buffer).digest('hex') },
					binary: { data },
					pairedItem: { item: i },
				});
			}
			return [out];
		}

		if (operation === 'readBinary') {
			for (let i = 0; i < items.length; i++) {
				const meta = this.helpers.assertBinaryData(i, 'data');
				const buffer = await this.helpers.getBinaryDataBuffer(i, 'data');
				out.push({
					json: {
						sha256: createHash('sha256').update(buffer).digest('hex'),
						length: buffer.length,
						storedAs: meta.id ? 'reference' : 'inline',
					},
					pairedItem: { item: i },
				});
			}
			return [out];
		}

		const { url } = await this.getCredentials<{ url: string }>('testTokenApi');
		for (let i = 0; i < items.length; i++) {
			try {
				const message = this.getNodeParameter('message', i) as string;
				const tag = this.getNodeParameter('tag', i) as string;
				this.sendMessageToUI(`posting ${message}`);
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'testTokenApi', {
					url: `${url}/messages`,
					method: 'POST',
					body: { m: message, tag },
					json: true,
				})) as IDataObject;
				out.push(
					...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(response), {
						itemData: { item: i },
					}),
				);
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				if (error instanceof NodeApiError) {
					error.context.itemIndex = i;
					throw error;
				}
				throw error;
			}
		}
		return [out];
	}
}

const probe = new HarnessProbe();
const goodCredentials = () => ({ testTokenApi: { url: baseUrl, token: GOOD_TOKEN } });
const messageItems: INodeExecutionData[] = [{ json: { msg: 'a' } }, { json: { msg: 'fail' } }, { json: { msg: 'c' } }];

// ------------------------------------------------------------------ tests

describe('executeNode (ExecuteContext)', () => {
	it('authenticates with the generic Bearer block, resolves $json per item, applies defaults, keeps pairedItem', async () => {
		const { output, additionalData } = await executeNode({
			nodeType: probe,
			parameters: { operation: 'post', message: '={{ $json.msg }}' },
			credentials: goodCredentials(),
			credentialTypes: [testTokenApi],
			items: [{ json: { msg: 'hello' } }, { json: { msg: 'world' } }],
		});

		expect(recorded.map((r) => r.headers.authorization)).toEqual([`Bearer ${GOOD_TOKEN}`, `Bearer ${GOOD_TOKEN}`]);
		expect(recorded.map((r) => r.body)).toEqual([
			{ m: 'hello', tag: 'default-tag' },
			{ m: 'world', tag: 'default-tag' },
		]);
		expect(output[0].map((i) => i.json.id)).toEqual(['post-hello', 'post-world']);
		expect(output[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(additionalData.uiMessages.map((m) => (m.data as IDataObject).messages)).toEqual([
			['posting hello'],
			['posting world'],
		]);
	});

	it('continueOnFail: one failing item becomes an error item, the others succeed', async () => {
		const { output } = await executeNode({
			nodeType: probe,
			parameters: { operation: 'post', message: '={{ $json.msg }}' },
			credentials: goodCredentials(),
			credentialTypes: [testTokenApi],
			items: messageItems,
			continueOnFail: true,
		});
		expect(output[0]).toHaveLength(3);
		expect(output[0][0].json.id).toBe('post-a');
		expect(output[0][1].json.error).toEqual(expect.any(String));
		expect(output[0][1].pairedItem).toEqual({ item: 1 });
		expect(output[0][2].json.id).toBe('post-c');
	});

	it('without continueOnFail the node error is thrown as n8n surfaces it', async () => {
		await expect(
			executeNode({
				nodeType: probe,
				parameters: { operation: 'post', message: '={{ $json.msg }}' },
				credentials: goodCredentials(),
				credentialTypes: [testTokenApi],
				items: messageItems,
			}),
		).rejects.toMatchObject({ name: 'NodeApiError', httpCode: '500' });
	});

	it('a rejected token surfaces as NodeApiError 401 after n8n retries once', async () => {
		await expect(
			executeNode({
				nodeType: probe,
				parameters: { operation: 'post', message: 'x' },
				credentials: { testTokenApi: { url: baseUrl, token: 'bad' } },
				credentialTypes: [testTokenApi],
			}),
		).rejects.toMatchObject({ name: 'NodeApiError', httpCode: '401' });
		expect(recorded).toHaveLength(2);
	});
});

describe('binary data', () => {
	it.each([
		['filesystem', 'reference'],
		['default', 'inline'],
	] as const)('prepareBinaryData → getBinaryDataBuffer round-trips 50 MB in %s mode', async (mode, storedAs) => {
		await configureBinaryData({ mode });
		const size = 50 * 1024 * 1024;
		const made = await executeNode({
			nodeType: probe,
			parameters: { operation: 'makeBinary', size },
			credentials: goodCredentials(),
			credentialTypes: [testTokenApi],
		});
		const item = made.output[0][0];
		expect(item.binary?.data).toMatchObject({ fileName: 'blob.bin', mimeType: 'application/octet-stream', bytes: size });

		const read = await executeNode({
			nodeType: probe,
			parameters: { operation: 'readBinary' },
			credentials: goodCredentials(),
			credentialTypes: [testTokenApi],
			items: made.output[0],
		});
		expect(read.output[0][0].json).toEqual({ sha256: item.json.sha256, length: size, storedAs });
	});

	afterAll(async () => {
		await configureBinaryData({ mode: 'filesystem' });
	});
});

describe('runWorkflow (WorkflowExecute)', () => {
	it('runs Items Source → node through n8n’s runner with continueOnFail', async () => {
		const { output, error, runData, nodeName } = await runWorkflow({
			nodeType: probe,
			parameters: { operation: 'post', message: '={{ $json.msg }}' },
			credentials: goodCredentials(),
			credentialTypes: [testTokenApi],
			items: messageItems,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(Object.keys(runData)).toEqual(['Items Source', nodeName]);
		expect(output?.[0].map((i) => i.json.id ?? 'error')).toEqual(['post-a', 'error', 'post-c']);
		expect(output?.[0][1].json.error).toEqual(expect.any(String));
		expect(output?.[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(recorded.filter((r) => r.path === '/messages').map((r) => (r.body as IDataObject).m)).toEqual([
			'a',
			'fail',
			'c',
		]);
		expect(recorded.every((r) => r.headers.authorization === `Bearer ${GOOD_TOKEN}`)).toBe(true);
	});

	it('records the node error as the execution error when the node stops the workflow', async () => {
		const { output, error, runData, nodeName } = await runWorkflow({
			nodeType: probe,
			parameters: { operation: 'post', message: '={{ $json.msg }}' },
			credentials: goodCredentials(),
			credentialTypes: [testTokenApi],
			items: messageItems,
		});
		expect(output).toBeUndefined();
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '500' });
		expect(runData[nodeName][0].error).toBeDefined();
		// WorkflowExecute reported the failure, as it would to Sentry.
		expect(errorReports.at(-1)?.error).toMatchObject({ name: 'NodeApiError', message: error?.message });
	});
});

describe('listSearch / loadOptions (LoadOptionsContext)', () => {
	it('calls methods.listSearch with filter, pagination token, credentials and current parameters', async () => {
		const first = await listSearch({
			nodeType: probe,
			methodName: 'searchChannels',
			parameters: { operation: 'post' },
			credentials: goodCredentials(),
			credentialTypes: [testTokenApi],
			filter: 'town',
		});
		expect(first).toEqual({ results: [{ name: 'town-square (post)', value: 'town-square' }], paginationToken: '1' });

		const second = await listSearch({
			nodeType: probe,
			methodName: 'searchChannels',
			parameters: { operation: 'post' },
			credentials: goodCredentials(),
			credentialTypes: [testTokenApi],
			filter: 'town',
			paginationToken: first.paginationToken,
		});
		expect(second).toEqual({ results: [{ name: 'town-hall (post)', value: 'town-hall' }], paginationToken: undefined });
		expect(recorded[0].headers.authorization).toBe(`Bearer ${GOOD_TOKEN}`);
	});

	it('calls methods.loadOptions', async () => {
		const options = await loadOptions({
			nodeType: probe,
			methodName: 'getChannels',
			credentials: goodCredentials(),
			credentialTypes: [testTokenApi],
		});
		expect(options).toEqual([{ name: 'town-square', value: 'town-square' }]);
	});
});

describe('testCredential (CredentialsTester behaviour)', () => {
	it('OK for a good token', async () => {
		await expect(
			testCredential({ credentialType: testTokenApi, data: { url: baseUrl, token: GOOD_TOKEN } }),
		).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(recorded.map((r) => `${r.method} ${r.path} ${r.headers.authorization}`)).toEqual([
			`GET /me Bearer ${GOOD_TOKEN}`,
		]);
	});

	it('the responseCode rule message for a 401 (n8n retries once: two requests)', async () => {
		await expect(
			testCredential({ credentialType: testTokenApi, data: { url: baseUrl, token: 'bad' } }),
		).resolves.toEqual({ status: 'Error', message: 'The token was rejected' });
		expect(recorded).toHaveLength(2);
	});

	it('the error code for a refused port', async () => {
		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const { port } = closed.address() as AddressInfo;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		await expect(
			testCredential({ credentialType: testTokenApi, data: { url: `http://127.0.0.1:${port}`, token: GOOD_TOKEN } }),
		).resolves.toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});

	it('falls back to a node’s methods.credentialTest when the type has no test', async () => {
		const { test: _omit, ...untested } = testTokenApi;
		const testedNode: INodeType = {
			description: { ...description, credentials: [{ name: 'testTokenApi', testedBy: 'tokenTest' }] },
			methods: {
				credentialTest: {
					async tokenTest(credential) {
						return credential.data?.token === GOOD_TOKEN
							? { status: 'OK', message: 'fine' }
							: { status: 'Error', message: 'nope' };
					},
				},
			},
		};
		await expect(
			testCredential({ credentialType: untested, data: { url: baseUrl, token: 'bad' }, nodeTypes: [testedNode] }),
		).resolves.toEqual({ status: 'Error', message: 'nope' });
		await expect(testCredential({ credentialType: untested, data: { url: baseUrl, token: 'x' } })).resolves.toEqual({
			status: 'Error',
			message: 'No testing function found for this credential.',
		});
	});
});

describe('evaluateExpression', () => {
	it('resolves $credentials and $json with n8n’s expression engine', () => {
		expect(
			evaluateExpression('={{ $credentials.baseUrl.replace(/\\/$/, "") }}/api/v4', {
				$credentials: { baseUrl: 'https://chat.example.com/' },
			}),
		).toBe('https://chat.example.com/api/v4');
		expect(evaluateExpression('={{ $json.a + 1 }}', { $json: { a: 41 } })).toBe(42);
		expect(evaluateExpression('plain')).toBe('plain');
	});

	it('behaves like n8n’s legacy engine on errors: syntax errors throw, runtime errors give undefined', () => {
		expect(() => evaluateExpression('={{ $credentials.url.replace( }}', { $credentials: {} })).toThrow(
			'invalid syntax',
		);
		expect(evaluateExpression('={{ $credentials.missing.deep }}', { $credentials: {} })).toBeUndefined();
	});
});

describe('TestCredentialsHelper', () => {
	it('preAuthentication fills an empty expirable field, persists it, and the request uses it', async () => {
		const sessionApi: ICredentialType = {
			name: 'sessionApi',
			displayName: 'Session API',
			properties: [
				{ displayName: 'URL', name: 'url', type: 'string', default: '' },
				{ displayName: 'Password', name: 'password', type: 'string', default: '' },
				{ displayName: 'Session', name: 'session', type: 'hidden', typeOptions: { expirable: true }, default: '' },
			],
			async preAuthentication(credentials) {
				const { token } = (await this.helpers.httpRequest({
					method: 'POST',
					url: `${credentials.url as string}/login`,
					body: { password: credentials.password },
					json: true,
				})) as { token: string };
				return { session: token };
			},
			authenticate: { type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.session}}' } } },
		};
		const sessionNode: INodeType = {
			description: { ...description, name: 'sessionNode', credentials: [{ name: 'sessionApi', required: true }], properties: [] },
			async execute(this: IExecuteFunctions) {
				const { url } = await this.getCredentials<{ url: string }>('sessionApi');
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'sessionApi', {
					url: `${url}/me`,
					json: true,
				})) as IDataObject;
				return [[{ json: response }]];
			},
		};
		const { output, credentialsHelper } = await executeNode({
			nodeType: sessionNode,
			parameters: {},
			credentials: { sessionApi: { url: baseUrl, password: 'pw' } },
			credentialTypes: [sessionApi],
		});
		expect(output[0][0].json).toEqual({ id: 'me1' });
		expect(recorded.map((r) => r.path)).toEqual(['/login', '/me']);
		expect(credentialsHelper.updates.map((u) => [u.method, u.data.session])).toEqual([['updateCredentials', GOOD_TOKEN]]);
		expect(credentialsHelper.getStoredData('sessionApi')).toMatchObject({ session: GOOD_TOKEN });
	});

	it('walks extends, merges parent properties, stores updates', async () => {
		const parent: ICredentialType = {
			name: 'parentApi',
			displayName: 'Parent',
			properties: [{ displayName: 'Host', name: 'host', type: 'string', default: 'h' }],
		};
		const child: ICredentialType = {
			name: 'childApi',
			displayName: 'Child',
			extends: ['parentApi'],
			properties: [{ displayName: 'Key', name: 'key', type: 'string', default: '' }],
		};
		const helper = new TestCredentialsHelper({ childApi: { key: 'k' } }, [parent, child]);
		expect(helper.getParentTypes('childApi')).toEqual(['parentApi']);
		expect(helper.getCredentialsProperties('childApi').map((p) => p.name)).toEqual(['host', 'key']);
		const ref = { id: 'childApi-id', name: 'c' };
		await helper.updateCredentials(ref, 'childApi', { key: 'k2' });
		expect(helper.updates).toHaveLength(1);
		expect(helper.getStoredData('childApi')).toEqual({ key: 'k2' });
	});
});
