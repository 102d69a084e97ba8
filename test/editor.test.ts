/**
 * What n8n's editor derives from the node descriptions: canvas subtitles, the trigger's node name
 * when its Source changes, the method badge of its webhook URL, and the From-list pickers when
 * their default list fails. The editor's own computations are n8n-workflow functions
 * (NodeHelpers.makeNodeName, Expression.getSimpleParameterValue); the tests call those.
 */
import { NodeHelpers, Workflow } from 'n8n-workflow';
import type { INode, INodeParameters, INodePropertyOptions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { MattermostSuite } from '../nodes/MattermostSuite/MattermostSuite.node';
import { MattermostSuiteTrigger } from '../nodes/MattermostSuiteTrigger/MattermostSuiteTrigger.node';
import { TestNodeTypes } from './harness';
import { byId, searchList, useFakeMattermost } from './support';

const action = new MattermostSuite();
const trigger = new MattermostSuiteTrigger();

/** The node as the editor holds it: the given parameters plus the defaults n8n fills in. */
function editorNode(nodeType: INodeType, parameters: INodeParameters): { workflow: Workflow; node: INode } {
	const { description } = nodeType;
	const node: INode = {
		id: 'node-id',
		name: description.defaults.name as string,
		type: description.name,
		typeVersion: 1,
		position: [0, 0],
		parameters: NodeHelpers.getNodeParameters(description.properties, parameters, true, false, null, description) ?? {},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes([action, trigger]),
	});
	return { workflow, node: workflow.nodes[node.name] };
}

/** As the canvas computes a node's subtitle (editor-ui getNodeSubtitle). */
function canvasSubtitle(nodeType: INodeType, parameters: INodeParameters): unknown {
	const { workflow, node } = editorNode(nodeType, parameters);
	return workflow.expression.getSimpleParameterValue(node, nodeType.description.subtitle, 'internal', {}, undefined, '[empty]');
}

function optionsOf(description: INodeTypeDescription, name: string, resource?: string): INodePropertyOptions[] {
	const property = description.properties.find(
		(p) => p.name === name && (resource === undefined || p.displayOptions?.show?.resource?.includes(resource)),
	);
	return (property?.options ?? []) as INodePropertyOptions[];
}

const operations = optionsOf(action.description, 'resource').flatMap((resource) =>
	optionsOf(action.description, 'operation', String(resource.value)).map((operation) => ({
		resource: String(resource.value),
		operation: String(operation.value),
		action: operation.action,
	})),
);

describe('canvas subtitles', () => {
	it('covers every operation of every resource', () => {
		expect(operations).toHaveLength(47);
		expect(operations.every((o) => typeof o.action === 'string' && o.action !== '')).toBe(true);
	});

	it.each(operations)('$resource > $operation: "$action"', ({ resource, operation, action: words }) => {
		const subtitle = canvasSubtitle(action, { resource, operation });
		expect(subtitle).toBe(words);
	});

	it('read as words, not raw values', () => {
		expect(canvasSubtitle(action, { resource: 'message', operation: 'sendDirectMessage' })).toBe('Send a direct message');
		expect(canvasSubtitle(action, { resource: 'reaction', operation: 'add' })).toBe('Add a reaction');
		expect(canvasSubtitle(action, { resource: 'user', operation: 'getMe' })).toBe('Get the user of the credential');
	});

	it.each([
		['events', 'WebSocket events'],
		['interactiveAction', 'Button and menu clicks'],
		['outgoingWebhook', 'Outgoing webhook'],
		['slashCommand', 'Slash command'],
	])('trigger, Source %s: "%s"', (source, words) => {
		expect(canvasSubtitle(trigger, { source })).toBe(words);
	});
});

describe('the trigger keeps its name whatever the Source', () => {
	const sources = optionsOf(trigger.description, 'source').map((o) => String(o.value));

	it('has the four sources', () => {
		expect(sources.sort()).toEqual(['events', 'interactiveAction', 'outgoingWebhook', 'slashCommand']);
	});

	// The editor renames a node whose name is the default one for its old parameters to the default
	// name for its new ones (NodeHelpers.isDefaultNodeName / makeNodeName). The webhook sources carry
	// hidden resource/operation values; without skipNameGeneration the name became "PassOn webhook".
	it.each(sources)('Source %s: the default name stays "Mattermost Suite Trigger"', (source) => {
		const { node } = editorNode(trigger, { source });
		expect(NodeHelpers.makeNodeName(node.parameters, trigger.description)).toBe('Mattermost Suite Trigger');
		expect(NodeHelpers.isDefaultNodeName('Mattermost Suite Trigger', trigger.description, node.parameters)).toBe(true);
	});

	it('the webhook sources still select the pass-on operation when run', () => {
		const { node } = editorNode(trigger, { source: 'slashCommand' });
		expect(node.parameters).toMatchObject({ resource: 'webhook', operation: 'passOn' });
		expect(trigger.customOperations?.webhook?.passOn).toEqual(expect.any(Function));
	});
});

describe('the webhook URL method badge', () => {
	// The editor evaluates httpMethod; it shows one method as a badge, and hides the badge when the
	// value is a list of several (as for n8n's Webhook node with several methods). A joined string
	// "POST,GET" was shown clipped to "POST,G".
	const methodOf = (source: string) => {
		const { workflow, node } = editorNode(trigger, { source });
		return workflow.expression.getSimpleParameterValue(node, trigger.description.webhooks![0].httpMethod, 'internal', {}, undefined, 'GET');
	};

	it('one method for Outgoing Webhook and Interactive Action', () => {
		expect(methodOf('outgoingWebhook')).toBe('POST');
		expect(methodOf('interactiveAction')).toBe('POST');
	});

	it('Slash Command: a list of two methods, never a joined string', () => {
		expect(methodOf('slashCommand')).toEqual(['POST', 'GET']);
		// n8n registers one webhook per method of String(value).split(',').
		expect(String(methodOf('slashCommand')).split(',')).toEqual(['POST', 'GET']);
	});
});

describe('From-list pickers whose default list fails', () => {
	const fake = useFakeMattermost();
	afterEach(() => fake.mm.clearFaults());

	it.each([403, 404, 500])('Post, no search text, saved posts answer %i: an empty list, and searching still works', async (status) => {
		const { mm, seed } = fake;
		mm.addFault({ method: 'GET', path: '/api/v4/users/me/posts/flagged', status, times: Infinity });
		const reaction = { resource: 'reaction', operation: 'add' };
		const empty = await searchList(mm, 'searchPosts', seed.tokens.bot, undefined, undefined, reaction);
		expect(empty).toEqual({ results: [] });
		expect(mm.requests.some((r: any) => r.path === '/api/v4/users/me/posts/flagged')).toBe(true);

		mm.createPost({ channel_id: seed.channels.townSquare.id, user_id: seed.alice.id, message: `pelican ${status}` });
		const found = await searchList(mm, 'searchPosts', seed.tokens.bot, `pelican ${status}`, undefined, reaction);
		expect(found.results.map((r: any) => r.name)).toEqual([`@alice in ~town-square: pelican ${status}`]);
	});

	it('Post, no search text, the Channel\'s posts fail: an empty list', async () => {
		const { mm, seed } = fake;
		const channelId = seed.channels.townSquare.id;
		mm.addFault({ method: 'GET', path: `/api/v4/channels/${channelId}/posts`, status: 404, times: Infinity });
		const result = await searchList(mm, 'searchPosts', seed.tokens.bot, undefined, undefined, {
			resource: 'message',
			operation: 'post',
			channelId: byId(channelId),
		});
		expect(result).toEqual({ results: [] });
	});

	it('User, no search text, the user list is forbidden: an empty list, and searching still works', async () => {
		const { mm, seed } = fake;
		mm.addFault({ method: 'GET', path: '/api/v4/users', status: 403, times: Infinity });
		expect(await searchList(mm, 'searchUsers', seed.tokens.bot)).toEqual({ results: [] });
		const found = await searchList(mm, 'searchUsers', seed.tokens.bot, 'alice');
		expect(found.results.map((r: any) => r.value)).toContain(seed.alice.id);
	});

	it('a refused credential still shows its error at once', async () => {
		const { mm } = fake;
		const error = await searchList(mm, 'searchPosts', 'x'.repeat(26), undefined, undefined, { resource: 'reaction', operation: 'add' }).catch((e) => e);
		expect(error.httpCode).toBe('401');
		expect(error.description).toMatch(/did not accept the credential/);
	});

	it('a failing search names the Base URL, not "the IDs used"', async () => {
		const { mm, seed } = fake;
		mm.addFault({ method: 'POST', pathRegex: '^/api/v4/teams/[^/]+/posts/search$', status: 404, times: Infinity });
		const error = await searchList(mm, 'searchPosts', seed.tokens.bot, 'pelican', undefined, { resource: 'reaction', operation: 'add' }).catch((e) => e);
		expect(error.httpCode).toBe('404');
		expect(error.description).toMatch(/^Mattermost found nothing at this address\. Check the Base URL of the credential\./);
		expect(error.description).not.toMatch(/IDs used|Check the ID/);
	});

	it('a search Mattermost refuses (400) says to change the search text', async () => {
		const { mm, seed } = fake;
		mm.addFault({ method: 'GET', path: '/api/v4/users/autocomplete', status: 400, times: Infinity });
		const error = await searchList(mm, 'searchUsers', seed.tokens.bot, 'alice').catch((e) => e);
		expect(error.httpCode).toBe('400');
		expect(error.description).toMatch(/Try another search text, or pick it By ID or By URL instead/);
	});

	it('the Post picker says what its list holds and that search works', () => {
		const postId = action.description.properties.find((p) => p.name === 'postId');
		expect(postId?.modes?.find((m) => m.name === 'list')?.hint).toMatch(/^Type to search posts\./);
	});
});
