import type { INodeProperties } from 'n8n-workflow';

/** Fields both Mattermost Suite credentials have, under the names the transport reads. */
export const baseUrlField: INodeProperties = {
	displayName: 'Base URL',
	name: 'baseUrl',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. https://mattermost.example.com',
	description:
		'The address you open Mattermost at. A host without scheme gets https://; a sub-path is kept; a pasted /api/v4 is ignored.',
};

export const ignoreSslIssuesField: INodeProperties = {
	displayName: 'Ignore SSL Issues (Insecure)',
	name: 'ignoreSslIssues',
	type: 'boolean',
	default: false,
	description: 'Whether to connect even if SSL certificate validation is not possible',
};
