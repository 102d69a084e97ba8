import type { INodeProperties } from 'n8n-workflow';

const show = { show: { source: ['interactiveAction'] } };

export const interactiveActionProperties: INodeProperties[] = [
	{
		displayName:
			'Buttons built by Mattermost Suite > Message > Post (Attachments > Buttons, Send Clicks To: Mattermost Suite Trigger in This Workflow) get this node\'s Production URL and secret filled in; for them this node needs a Secret, from which its Production URL is derived. Elsewhere, give the Production URL as integration.url of the button or menu, and the secret in its context as {"secret": "…"}. Button IDs must be letters and digits only: Mattermost never fires IDs with "_" or "-".',
		name: 'interactiveActionNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
	{
		displayName: 'Secret',
		name: 'secret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'When set, calls whose context.secret differs are refused with 401. Mattermost hides the integration and its context from users.',
		displayOptions: show,
	},
	{
		displayName: 'Response',
		name: 'actionResponse',
		type: 'collection',
		placeholder: 'Add Response Field',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Ephemeral Text',
				name: 'ephemeralText',
				type: 'string',
				default: '',
				placeholder: 'e.g. Thanks, {{ $json.user_name }}!',
				description:
					'A message only the clicking user sees. Expressions read the item this trigger outputs, e.g. its user_name field.',
			},
			{
				displayName: 'Update Message',
				name: 'updateMessage',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				placeholder: 'e.g. Approved by @{{ $json.user_name }}',
				description:
					'Replaces the text of the message with the buttons. Its props are replaced too: the buttons disappear unless Update Props gives them again.',
			},
			{
				displayName: 'Update Props (JSON)',
				name: 'updateProps',
				type: 'json',
				default: '{}',
				description:
					'The props of the updated message, e.g. {"attachments": [{"text": "Done"}]}. Used together with Update Message.',
			},
		],
	},
];
