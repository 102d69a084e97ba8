/** `npm run bench`: the benchmarks, through the same harness as the tests, one at a time. */
const base = require('./jest.config');

module.exports = {
	...base,
	roots: ['<rootDir>/bench'],
	testMatch: ['**/*.bench.ts'],
	maxWorkers: 1,
	testTimeout: 600000,
};
