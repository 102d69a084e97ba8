import type { INodeProperties } from 'n8n-workflow';

import { channelRLC, teamRLC } from '../../MattermostSuite/actions/common.descriptions';

const show = { show: { source: ['outgoingWebhook'] } };

export const outgoingWebhookProperties: INodeProperties[] = [
	{
		displayName:
			'Mattermost sends outgoing webhooks only for posts in public channels. The credential\'s user must be allowed to manage outgoing webhooks (team or system admin), and System Console > Integrations > Integration Management > Enable Outgoing Webhooks must be on. On activation the node creates the webhook, pointing at this node\'s Production URL; on deactivation it deletes it.',
		name: 'outgoingWebhookNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
	{ ...teamRLC, description: 'The team whose posts fire the webhook', displayOptions: show },
	{
		...channelRLC,
		required: false,
		description:
			'Only posts in this public channel. Leave empty for every public channel of the team (then trigger words are needed, and Trigger When cannot be Anywhere in the Message).',
		displayOptions: show,
	},
	{
		displayName: 'Trigger Words',
		name: 'triggerWords',
		type: 'string',
		default: '',
		placeholder: 'e.g. deploy, build',
		description:
			'Comma-separated trigger words. Leave empty to receive every post of the channel (needs a channel).',
		displayOptions: show,
	},
	{
		displayName: 'Trigger When',
		name: 'triggerWhen',
		type: 'options',
		options: [
			{
				name: 'First Word Matches a Trigger Word Exactly',
				value: 0,
				description: 'E.g. "deploy now" fires for "deploy", "deployment" does not.',
			},
			{
				name: 'First Word Starts With a Trigger Word',
				value: 1,
				description: 'E.g. "deployment" fires for "deploy".',
			},
			{
				name: 'Anywhere in the Message',
				value: 2,
				description:
					'E.g. "please deploy now" fires for "deploy" (whole words, any case). Needs a channel: Mattermost sends every post of the channel and this node starts the workflow only for matching ones.',
			},
		],
		default: 0,
		description:
			'Mattermost itself compares trigger words with the first word of a post; for Anywhere the node compares them with the whole text',
		displayOptions: show,
	},
	{
		displayName: 'Fetch Full Post',
		name: 'fetchFullPost',
		type: 'boolean',
		default: false,
		description:
			'Whether to add the whole post (props, attachments, file metadata, thread root) under "post", read with GET /posts/{ID}',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'outgoingWebhookOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Reply Text',
				name: 'replyText',
				type: 'string',
				default: '',
				placeholder: 'e.g. Deploying {{ $json.text }}…',
				description:
					'A message Mattermost posts at once as the answer to the webhook (Markdown). Expressions read the item this trigger outputs, e.g. its text or user_name field.',
			},
			{
				displayName: 'Reply in Thread',
				name: 'replyInThread',
				type: 'boolean',
				default: true,
				description: 'Whether the reply goes into the thread of the triggering post rather than the channel',
			},
		],
	},
];
