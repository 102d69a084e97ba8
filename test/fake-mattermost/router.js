'use strict';

/**
 * A small method + path router. Patterns use `:name` segments. Literal segments beat parameters
 * (so `/users/autocomplete` wins over `/users/:user_id`), whatever order routes were added in.
 */
class Router {
	constructor() {
		this.routes = [];
	}

	add(method, pattern, handler, options = {}) {
		const segments = pattern.split('/').filter(Boolean);
		this.routes.push({ method, pattern, segments, handler, auth: options.auth !== false });
		this.routes.sort(compareSpecificity);
		return this;
	}

	addAll(definitions) {
		for (const [method, pattern, handler, options] of definitions) this.add(method, pattern, handler, options);
		return this;
	}

	/** The matching route and its decoded params, or null. */
	match(method, path) {
		const parts = path.split('/').filter(Boolean);
		for (const route of this.routes) {
			if (route.method !== method || route.segments.length !== parts.length) continue;
			const params = matchSegments(route.segments, parts);
			if (params) return { route, params };
		}
		return null;
	}
}

function matchSegments(segments, parts) {
	const params = {};
	for (let i = 0; i < segments.length; i++) {
		const segment = segments[i];
		let part;
		try {
			part = decodeURIComponent(parts[i]);
		} catch {
			return null;
		}
		if (segment.startsWith(':')) params[segment.slice(1)] = part;
		else if (segment !== part) return null;
	}
	return params;
}

function compareSpecificity(a, b) {
	const length = Math.min(a.segments.length, b.segments.length);
	for (let i = 0; i < length; i++) {
		const aParam = a.segments[i].startsWith(':');
		const bParam = b.segments[i].startsWith(':');
		if (aParam !== bParam) return aParam ? 1 : -1;
	}
	return 0;
}

module.exports = { Router };
