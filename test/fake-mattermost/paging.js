'use strict';

// server/channels/web/params.go: PerPageDefault / PerPageMaximum.
const PER_PAGE_DEFAULT = 60;
const PER_PAGE_MAXIMUM = 200;

/** Go's strconv.Atoi: an optional sign and decimal digits, nothing else. */
function parseGoInt(value) {
	if (typeof value === 'number') return Number.isInteger(value) ? value : NaN;
	if (typeof value !== 'string' || !/^[+-]?\d+$/.test(value)) return NaN;
	return Number(value);
}

/**
 * page / per_page exactly as the real server reads them: a bad or negative page becomes 0,
 * a bad or negative per_page becomes 60, a larger one is silently clamped to 200, and 0 stays 0.
 */
function readPaging(source = {}) {
	const page = parseGoInt(source.page);
	const perPage = parseGoInt(source.per_page);
	return {
		page: Number.isNaN(page) || page < 0 ? 0 : page,
		perPage: Number.isNaN(perPage) || perPage < 0 ? PER_PAGE_DEFAULT : Math.min(perPage, PER_PAGE_MAXIMUM),
	};
}

/** The one slicing step every paged list uses: the page's items and whether more follow. */
function pageOf(items, { page, perPage }) {
	const start = page * perPage;
	return { items: items.slice(start, start + perPage), hasNext: items.length > start + perPage };
}

function paginate(items, source) {
	return pageOf(items, readPaging(source)).items;
}

module.exports = { PER_PAGE_DEFAULT, PER_PAGE_MAXIMUM, readPaging, pageOf, paginate, parseGoInt };
