import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveTeamId } from '../../helpers/resolve';
import { simplifyPost } from '../../helpers/simplify';
import { mattermostApiRequestAllItems, postsOf } from '../../transport';
import { limitOf, returnAllOrLimit, showOnlyFor, simplifyProperty, teamRLC } from '../common.descriptions';

const properties: INodeProperties[] = [
	{ ...teamRLC, description: 'The team whose channels are searched (those the credential\'s user belongs to)' },
	{
		displayName: 'Terms',
		name: 'terms',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. "release notes" from:alice in:town-square',
		description:
			'What to search for, as in Mattermost\'s search box: words, "exact phrases", -excluded words, prefix*, from:username, in:channel-name, on:/before:/after: dates (YYYY-MM-DD)',
	},
	{
		displayName: 'Is Or Search',
		name: 'isOrSearch',
		type: 'boolean',
		default: false,
		description: 'Whether posts matching any of the words are found, instead of only posts matching all of them',
	},
	...returnAllOrLimit(),
	simplifyProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Archived Channels',
				name: 'includeDeletedChannels',
				type: 'boolean',
				default: false,
				description: 'Whether posts in archived channels are searched too',
			},
			{
				displayName: 'Time Zone Offset (Hours)',
				name: 'timeZoneOffsetHours',
				type: 'number',
				typeOptions: { minValue: -12, maxValue: 14, numberPrecision: 2 },
				default: 0,
				description:
					'Offset from UTC that on:, before: and after: dates are read in, e.g. 5.5 for India. Without it, the workflow\'s time zone is used.',
			},
		],
	},
];

export const description = showOnlyFor(
	{ show: { resource: ['message'], operation: ['search'] } },
	properties,
);

/** Seconds east of UTC of a time zone at a moment, as Mattermost's time_zone_offset wants them. */
export function offsetSecondsOf(timeZone: string, at: Date): number {
	let name = 'GMT';
	try {
		const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at);
		name = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
	} catch {
		return 0;
	}
	const match = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(name);
	if (!match) return 0;
	const seconds = Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60;
	return match[1] === '-' ? -seconds : seconds;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const terms = (this.getNodeParameter('terms', itemIndex, '') as string).trim();
	const isOrSearch = this.getNodeParameter('isOrSearch', itemIndex, false) as boolean;
	const limit = limitOf(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (terms === '') {
		throw new NodeOperationError(this.getNode(), 'Terms is empty', {
			description: 'Enter what to search for, e.g. deployment from:alice.',
			itemIndex,
		});
	}
	const offsetSeconds =
		typeof options.timeZoneOffsetHours === 'number'
			? Math.round(options.timeZoneOffsetHours * 3600)
			: offsetSecondsOf(this.getTimezone(), new Date());

	const teamId = await resolveTeamId(this, itemIndex);
	const body: IDataObject = {
		terms,
		is_or_search: isOrSearch,
		time_zone_offset: offsetSeconds,
		include_deleted_channels: options.includeDeletedChannels === true,
	};
	const posts = await mattermostApiRequestAllItems.call(this, 'POST', `/teams/${teamId}/posts/search`, {
		body,
		pageIn: 'body',
		limit,
		itemsOf: postsOf,
		itemIndex,
		subject: `team ${teamId}`,
	});
	return posts.map((post) => ({ json: simplify ? simplifyPost(post) : post }));
}
