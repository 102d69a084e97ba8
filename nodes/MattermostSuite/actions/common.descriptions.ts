import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Mattermost ids: 26 lowercase letters and digits. */
export const MATTERMOST_ID_PATTERN = '^[a-z0-9]{26}$';
export const EXAMPLE_ID = '4xp9fdt77pncbef59f4k1qe83o';

/**
 * Shows an operation's parameters only for that resource and operation: what n8n-workflow's
 * `updateDisplayOptions` does, without its deep merge. n8n requires every community node at
 * start-up, and that deep merge over every operation took a fifth to a third of this node's load
 * time (issue 13). Conditions a parameter already has are kept; the operation's win on the same key.
 */
export function showOnlyFor(displayOptions: IDisplayOptions, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => {
		const own = property.displayOptions;
		const merged: IDisplayOptions = { ...own };
		if (own?.show || displayOptions.show) merged.show = { ...own?.show, ...displayOptions.show };
		if (own?.hide || displayOptions.hide) merged.hide = { ...own?.hide, ...displayOptions.hide };
		return { ...property, displayOptions: merged };
	});
}

/**
 * A direct message as the browser shows it: `<site>/<team>/messages/@<username>` (or a user ID
 * instead of `@<username>`), the site possibly under a sub-path, a trailing slash or a query allowed.
 */
export const DIRECT_MESSAGE_URL_PATTERN = '^https?://[^\\s/?#]+(/[^\\s?#]*)?/[^\\s/?#]+/messages/(@[^\\s/?#]+|[a-z0-9]{26})/?([?#]\\S*)?$';

const idMode = (what: string) => ({
	displayName: 'ID',
	name: 'id',
	type: 'string' as const,
	placeholder: `e.g. ${EXAMPLE_ID}`,
	validation: [
		{
			type: 'regex' as const,
			properties: {
				regex: MATTERMOST_ID_PATTERN,
				errorMessage: `A ${what} ID is 26 lowercase letters and digits`,
			},
		},
	],
});

export const teamRLC: INodeProperties = {
	displayName: 'Team',
	name: 'teamId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The team, picked from the teams the credential\'s user belongs to',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchTeams', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://mattermost.example.com/my-team',
		},
		idMode('team'),
	],
};

export const channelRLC: INodeProperties = {
	displayName: 'Channel',
	name: 'channelId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The channel, picked from the channels the credential\'s user belongs to',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchChannels', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://mattermost.example.com/my-team/channels/town-square',
		},
		idMode('channel'),
	],
};

export const userRLC: INodeProperties = {
	displayName: 'User',
	name: 'userId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchUsers', searchable: true },
		},
		{
			displayName: 'By Username',
			name: 'username',
			type: 'string',
			placeholder: 'e.g. alice',
		},
		{
			displayName: 'By Email',
			name: 'email',
			type: 'string',
			placeholder: 'e.g. alice@example.com',
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://mattermost.example.com/my-team/messages/@alice',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: DIRECT_MESSAGE_URL_PATTERN,
						errorMessage: 'Paste the address of a direct message with the user, e.g. https://mattermost.example.com/my-team/messages/@alice',
					},
				},
			],
		},
		idMode('user'),
	],
};

export const postRLC: INodeProperties = {
	displayName: 'Post',
	name: 'postId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchPosts', searchable: true },
			// The list may well be empty (nothing saved yet): say what it holds and that search works.
			hint: "Type to search posts. Without search text: the Channel's newest posts, or the saved posts of the credential's user.",
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://mattermost.example.com/my-team/pl/4xp9fdt77pncbef59f4k1qe83o',
		},
		idMode('post'),
	],
};

/** "Return All" and "Limit" (default 50) for an operation's list. */
export function returnAllOrLimit(): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

/**
 * The Limit of an operation with returnAllOrLimit(), or undefined with Return All. The editor's
 * minValue binds only the editor: an expression or an imported workflow still brings 0, a negative
 * number or a fraction here, which the server would read as per_page 0 (nothing), 60 or an error.
 */
export function limitOf(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;
	const value = ctx.getNodeParameter('limit', itemIndex, 50) as unknown;
	const limit = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(ctx.getNode(), `Limit must be a whole number of 1 or more, not ${JSON.stringify(value) ?? String(value)}`, {
			description: 'Set Limit to the most results to return, e.g. 50, or turn on Return All.',
			itemIndex,
		});
	}
	return limit;
}

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};
