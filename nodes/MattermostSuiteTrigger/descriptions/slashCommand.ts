import type { INodeProperties } from 'n8n-workflow';

import { teamRLC } from '../../MattermostSuite/actions/common.descriptions';

const show = { show: { source: ['slashCommand'] } };
const managed = { show: { source: ['slashCommand'], createCommand: [true] } };
const manual = { show: { source: ['slashCommand'], createCommand: [false] } };

export const slashCommandProperties: INodeProperties[] = [
	{
		displayName: 'Create Command in Mattermost',
		name: 'createCommand',
		type: 'boolean',
		default: false,
		description:
			'Whether the node creates the slash command on activation and deletes it on deactivation (the credential\'s user needs permission to manage slash commands); otherwise create it yourself in Mattermost and paste its token',
		displayOptions: show,
	},
	{
		displayName:
			'In Mattermost: Integrations > Slash Commands > Add Slash Command, Request URL = this node\'s Production URL, Request Method POST (GET works too). Paste the token Mattermost shows after saving.',
		name: 'slashCommandNotice',
		type: 'notice',
		default: '',
		displayOptions: manual,
	},
	{
		displayName: 'Command Token',
		name: 'commandToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description:
			'The token Mattermost shows for the command. Requests carrying another token are refused with 401.',
		displayOptions: manual,
	},
	{ ...teamRLC, description: 'The team the command is created in', displayOptions: managed },
	{
		displayName: 'Command Trigger Word',
		name: 'commandTrigger',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. deploy',
		description: 'The word after the slash, without the slash; no spaces',
		displayOptions: managed,
	},
	{
		displayName: 'Command Options',
		name: 'commandOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: managed,
		options: [
			{
				displayName: 'Autocomplete Description',
				name: 'autocompleteDescription',
				type: 'string',
				default: '',
				placeholder: 'e.g. Deploys a branch',
				description: 'Shown in the slash-command autocomplete list (turns autocomplete on)',
			},
			{
				displayName: 'Autocomplete Hint',
				name: 'autocompleteHint',
				type: 'string',
				default: '',
				placeholder: 'e.g. [branch]',
				description: 'The arguments shown next to the command in the autocomplete list',
			},
			{
				displayName: 'Display Name',
				name: 'displayName',
				type: 'string',
				default: '',
				placeholder: 'e.g. Deploy',
				description: 'The name shown in Integrations > Slash Commands',
			},
			{
				displayName: 'Response Username',
				name: 'username',
				type: 'string',
				default: '',
				placeholder: 'e.g. deploy-bot',
				description: 'The name replies are shown with (needs Enable integrations to override usernames)',
			},
		],
	},
	{
		displayName: 'Response Mode',
		name: 'responseMode',
		type: 'options',
		options: [
			{
				name: 'Reply in the Channel',
				value: 'in_channel',
				description: 'Everybody in the channel sees the reply text',
			},
			{
				name: 'Reply Only to the User',
				value: 'ephemeral',
				description: 'Only the user who typed the command sees the reply text',
			},
			{
				name: 'Respond Later via Response URL',
				value: 'later',
				description:
					'Answer at once (optionally with a short ephemeral note) and post the real reply to the output\'s response_url later in the workflow, within 30 minutes and at most 5 times',
			},
		],
		default: 'ephemeral',
		displayOptions: show,
	},
	{
		displayName: 'Reply Text',
		name: 'responseText',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. Deploying {{ $json.text }}…',
		description:
			'The immediate reply (Markdown); empty sends none. With Respond Later it is an ephemeral note such as "Working on it". Expressions read the item this trigger outputs, e.g. its text field.',
		displayOptions: show,
	},
];
