import { NodeHelpers, UnexpectedError } from 'n8n-workflow';
import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';

/**
 * INodeTypes over a fixed list of node type instances, keyed by `description.name`.
 * Version selection goes through n8n-workflow's own NodeHelpers.getVersionedNodeType, as the
 * cli's NodeTypes does.
 */
export class TestNodeTypes implements INodeTypes {
	private readonly byName = new Map<string, INodeType | IVersionedNodeType>();

	constructor(nodeTypes: Array<INodeType | IVersionedNodeType> = []) {
		for (const nodeType of nodeTypes) this.add(nodeType);
	}

	/** Registers a node type under its description name, or under `name` when given. */
	add(nodeType: INodeType | IVersionedNodeType, name = nodeType.description.name): this {
		this.byName.set(name, nodeType);
		return this;
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.byName.get(nodeType);
		if (!type) {
			throw new UnexpectedError(`Unrecognized node type: ${nodeType}`, { tags: { nodeType } });
		}
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	/** Same shape as the cli's known-nodes map: `{ [type]: { className, sourcePath } }`. */
	getKnownTypes(): IDataObject {
		const known: IDataObject = {};
		for (const [name, type] of this.byName) {
			known[name] = { className: type.constructor?.name ?? 'Object', sourcePath: '' };
		}
		return known;
	}
}

/** The newest version a node type declares (n8n adds new nodes at this version). */
export function latestVersion(nodeType: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in nodeType) {
		return nodeType.currentVersion ?? nodeType.description.defaultVersion ?? 1;
	}
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}
