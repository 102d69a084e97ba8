import type { INodeProperties } from 'n8n-workflow';

import * as download from './download.operation';
import * as getInfo from './getInfo.operation';
import * as getPublicLink from './getPublicLink.operation';
import * as upload from './upload.operation';

export const operations = { download, getInfo, getPublicLink, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['file'] } },
		options: [
			{
				name: 'Download',
				value: 'download',
				description: 'Download a file as binary data',
				action: 'Download a file',
			},
			{
				name: 'Get Info',
				value: 'getInfo',
				description: 'Get the metadata of a file: name, size, MIME type, channel and post',
				action: 'Get file info',
			},
			{
				name: 'Get Public Link',
				value: 'getPublicLink',
				description: 'Get a link that opens the file without logging in',
				action: 'Get a public link to a file',
			},
			{
				name: 'Upload',
				value: 'upload',
				description: 'Upload files from binary data, ready to attach to a post',
				action: 'Upload a file',
			},
		],
		default: 'upload',
	},
	...download.description,
	...getInfo.description,
	...getPublicLink.description,
	...upload.description,
];
