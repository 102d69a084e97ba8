/**
 * What every node test needs: a seeded fake Mattermost, and the Mattermost Suite node run
 * through real n8n-core contexts with a credential pointing at it.
 */
import type { ICredentialDataDecryptedObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { MattermostSuiteApi } from '../credentials/MattermostSuiteApi.credentials';
import { MattermostSuite } from '../nodes/MattermostSuite/MattermostSuite.node';
import { executeNode, listSearch, runWorkflow, testCredential } from './harness';

// The fake server is plain JavaScript (scripts use it too), so it is typed loosely here.
const { FakeMattermost } = require('./fake-mattermost') as { FakeMattermost: any };

export type Fake = any;
export type Seed = any;

export const nodeType = new MattermostSuite();
export const credentialType = new MattermostSuiteApi();

/** Starts a seeded fake server for a test file and stops it afterwards; returns live getters. */
export function useFakeMattermost(options: Record<string, unknown> = {}) {
	const context: { mm: Fake; seed: Seed } = { mm: undefined, seed: undefined };
	beforeAll(async () => {
		context.mm = new FakeMattermost({ quiet: true, ...options });
		await context.mm.start();
		context.seed = context.mm.seed();
	});
	afterAll(async () => {
		await context.mm?.stop();
	});
	afterEach(() => {
		// Every request the node sent must be one Mattermost's OpenAPI description allows.
		const violations = context.mm?.contractViolations ?? [];
		if (violations.length > 0) {
			const report = JSON.stringify(violations.splice(0), null, 1);
			throw new Error(`Requests outside Mattermost's OpenAPI description:\n${report}`);
		}
	});
	return context;
}

export function credentialsFor(mm: Fake, token: string, extra: Partial<ICredentialDataDecryptedObject> = {}) {
	return { mattermostSuiteApi: { accessToken: token, baseUrl: mm.url, ignoreSslIssues: false, ...extra } };
}

export interface RunOptions {
	token: string;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** The node's "On Error" setting, for runs through WorkflowExecute; overrides continueOnFail. */
	onError?: INode['onError'];
	/** Pass-through nodes wired to that many outputs of the node (runInWorkflow's `received`). */
	receivers?: number;
	credentials?: Partial<ICredentialDataDecryptedObject>;
}

export async function runNode(mm: Fake, parameters: INodeParameters, options: RunOptions) {
	const { output } = await executeNode({
		nodeType,
		parameters,
		credentials: credentialsFor(mm, options.token, options.credentials),
		credentialTypes: [credentialType],
		items: options.items,
		continueOnFail: options.continueOnFail,
	});
	return output[0];
}

export async function runInWorkflow(mm: Fake, parameters: INodeParameters, options: RunOptions) {
	return await runWorkflow({
		nodeType,
		parameters,
		credentials: credentialsFor(mm, options.token, options.credentials),
		credentialTypes: [credentialType],
		items: options.items,
		continueOnFail: options.continueOnFail,
		onError: options.onError,
		receivers: options.receivers,
	});
}

export async function searchList(
	mm: Fake,
	methodName: string,
	token: string,
	filter?: string,
	paginationToken?: string,
	currentNodeParameters: INodeParameters = {},
) {
	return await listSearch({
		nodeType,
		methodName,
		filter,
		paginationToken,
		parameters: currentNodeParameters,
		credentials: credentialsFor(mm, token),
		credentialTypes: [credentialType],
	} as any);
}

export async function testMattermostCredential(data: ICredentialDataDecryptedObject) {
	return await testCredential({ credentialType, data, allCredentialTypes: [credentialType], nodeTypes: [nodeType] });
}

/**
 * The page numbers a Return All asked for, in order, and every request's per_page. The transport
 * reads ahead (one page, then two, then four at a time), so pages past the last one are asked for too:
 * a list whose last page is 3 is read as pages 0 to 6.
 */
export function pagesAsked(requests: Array<{ query: any; body: any }>, pagingIn: 'query' | 'body' = 'query') {
	const paging = requests.map((request) => (pagingIn === 'query' ? request.query : request.body));
	return {
		pages: paging.map((p) => Number(p.page)).sort((a, b) => a - b),
		perPage: [...new Set(paging.map((p) => String(p.per_page)))],
	};
}

/** A resource locator value by ID, as the editor saves it. */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });
export const byUrl = (value: string) => ({ __rl: true, mode: 'url', value });
