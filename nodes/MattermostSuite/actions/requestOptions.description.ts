import type { INodeProperties } from 'n8n-workflow';

/** Tuning of the transport's retries (transport/retry.ts) and of the router's batching; shown on every operation. */
export const requestOptions: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			// The shape of n8n's HTTP Request node, so the option reads and saves the same way.
			displayName: 'Batching',
			name: 'batching',
			placeholder: 'Add Batching',
			type: 'fixedCollection',
			typeOptions: { multipleValues: false },
			default: { batch: {} },
			options: [
				{
					displayName: 'Batching',
					name: 'batch',
					values: [
						{
							displayName: 'Items per Batch',
							name: 'batchSize',
							type: 'number',
							typeOptions: { minValue: 1 },
							default: 1,
							description:
								'How many items are sent to Mattermost at the same time. They share one rate limit: after a 429 all of them wait.',
						},
						{
							displayName: 'Batch Interval (Milliseconds)',
							name: 'batchInterval',
							type: 'number',
							typeOptions: { minValue: 0 },
							default: 0,
							description: 'The pause between one batch of items and the next, in milliseconds. 0 for none.',
						},
					],
				},
			],
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 5,
			description: 'How often one request is sent at most, the first time included. 1 turns retries off.',
		},
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 10,
			description: 'The longest pause before a retry, also when Mattermost asks for a longer one',
		},
		{
			displayName: 'Retry on Rate Limit',
			name: 'retryOnRateLimit',
			type: 'boolean',
			default: true,
			description: 'Whether to wait as Mattermost asks (Retry-After) and retry when it answers 429 Too Many Requests',
		},
		{
			displayName: 'Retry on Server Errors',
			name: 'retryOnServerErrors',
			type: 'boolean',
			default: true,
			description: 'Whether to retry 502, 503 and 504 answers, dropped connections and timeouts, for requests that are safe to repeat',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
			description: 'How long to wait for one answer before the request counts as failed',
		},
	],
};
