import type { INodeProperties } from 'n8n-workflow';

import { EXAMPLE_ID } from '../common.descriptions';

export const fileIdProperty: INodeProperties = {
	displayName: 'File ID',
	name: 'fileId',
	type: 'string',
	required: true,
	default: '',
	placeholder: `e.g. ${EXAMPLE_ID}`,
	description: 'The ID of the file: the ID of an uploaded file, or one of the file IDs of a post',
};
