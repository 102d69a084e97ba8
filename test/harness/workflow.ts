import type { INodeCredentials, IWorkflowBase, Workflow } from 'n8n-workflow';

import { credentialIdFor } from './credentials-helper';

/** The workflow as the execution lifecycle hooks get it (the cli's saved workflow entity). */
export function workflowBase(workflow: Workflow): IWorkflowBase {
	return {
		id: workflow.id,
		name: workflow.name ?? 'Harness workflow',
		active: workflow.active,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		settings: workflow.settings,
	};
}

/** A node's reference to each credential the test gives, by type; undefined when it gives none. */
export function nodeCredentials(credentials: Record<string, unknown> | undefined): INodeCredentials | undefined {
	if (!credentials || Object.keys(credentials).length === 0) return undefined;
	const result: INodeCredentials = {};
	for (const type of Object.keys(credentials)) {
		result[type] = { id: credentialIdFor(type), name: `${type} account` };
	}
	return result;
}
