import type { INodeProperties } from 'n8n-workflow';

import { channelRLC, teamRLC } from '../../MattermostSuite/actions/common.descriptions';

const show = { show: { source: ['events'] } };

/** The events the node offers by name; any other name can be given as a custom event. */
export const EVENT_OPTIONS = [
	{ name: 'Any Event', value: '*', description: 'Every event the server sends (typing, preferences, …)' },
	{ name: 'Channel Created', value: 'channel_created' },
	{ name: 'Channel Deleted', value: 'channel_deleted' },
	{ name: 'Channel Updated', value: 'channel_updated' },
	{ name: 'Direct Message Channel Added', value: 'direct_added' },
	{ name: 'Group Message Channel Added', value: 'group_added' },
	{ name: 'Message Deleted', value: 'post_deleted' },
	{ name: 'Message Edited', value: 'post_edited' },
	{ name: 'Message Posted', value: 'posted' },
	{ name: 'Reaction Added', value: 'reaction_added' },
	{ name: 'Reaction Removed', value: 'reaction_removed' },
	{ name: 'Status Changed', value: 'status_change' },
	{ name: 'User Added to Channel', value: 'user_added' },
	{ name: 'User Removed From Channel', value: 'user_removed' },
	{ name: 'User Updated', value: 'user_updated' },
];

export const eventsProperties: INodeProperties[] = [
	{
		displayName:
			'Listens on Mattermost\'s WebSocket with the credential\'s token and receives what its user may see: every channel, private and direct ones included, no admin rights needed. Events missed during a short outage are replayed after reconnecting.',
		name: 'eventsNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: EVENT_OPTIONS,
		default: ['posted'],
		required: true,
		description: 'The events that start the workflow, one execution per event (or per batch, see Options > Batch Events)',
		displayOptions: show,
	},
	{
		displayName: 'Custom Event Names',
		name: 'customEvents',
		type: 'string',
		default: '',
		placeholder: 'e.g. typing, thread_updated',
		description: 'Comma-separated names of further WebSocket events to receive',
		displayOptions: show,
	},
	{
		...teamRLC,
		required: false,
		description:
			'Only events in this team\'s channels. Direct and group messages belong to no team and are left out; events without a channel or team (status changes, user updates) pass.',
		displayOptions: show,
	},
	{
		displayName: 'Channels',
		name: 'channels',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Channel',
		default: {},
		description:
			'Only events in these channels (leave empty for all). Events without a channel (status changes, user updates) pass.',
		displayOptions: show,
		options: [
			{
				displayName: 'Channel',
				name: 'channel',
				values: [{ ...channelRLC, description: 'A channel to listen to' }],
			},
		],
	},
	{
		displayName: 'Ignore Own Posts',
		name: 'ignoreOwnPosts',
		type: 'boolean',
		default: true,
		description:
			'Whether to skip posts and reactions made with this credential\'s account, so that a workflow that replies does not trigger itself',
		displayOptions: show,
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Only Direct Messages',
				name: 'onlyDirectMessages',
				type: 'boolean',
				default: true,
				description:
					'Whether to keep only events in direct and group message channels (events without a channel are left out)',
			},
			{
				displayName: 'Only Mentions of Me',
				name: 'onlyMentions',
				type: 'boolean',
				default: true,
				description:
					'Whether to keep only posts that notify the credential\'s user: @mentions, and every message in a direct or group channel (other events are left out)',
			},
			{
				displayName: 'Text Contains',
				name: 'textContains',
				type: 'string',
				default: '',
				placeholder: 'e.g. incident',
				description:
					'Keep only posts whose message contains this text, ignoring case (other events are left out)',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'eventsOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Batch Events',
				name: 'batchEvents',
				type: 'boolean',
				default: false,
				description:
					'Whether to start one execution per batch of events (one item per event, in order) instead of one per event. Turn it on for busy channels: n8n starts only a few dozen executions per second, so events would otherwise queue up.',
			},
			{
				displayName: 'Max Events per Execution',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 100,
				description:
					'With Batch Events on: a batch starts its execution as soon as it holds this many events',
			},
			{
				displayName: 'Max Wait (Milliseconds)',
				name: 'batchMaxWaitMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 1000,
				description:
					'With Batch Events on: the longest an event waits for others to join its batch. A quiet channel still gets each event this late at most.',
			},
			{
				displayName: 'Heartbeat Interval (Seconds)',
				name: 'heartbeatSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30,
				description:
					'How often the node checks the connection. A connection silent for two intervals is taken for dead and reopened.',
			},
		],
	},
];
