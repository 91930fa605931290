/** List parameters and the list query. */
export { findRecords, listCondition, MAIN_ALIAS, TOTAL_HAS_MORE, TOTAL_HAS_NO_MORE, type FindOptions, type FindResult, type SearchEnvironment } from './find.js';
export { defaultSearchParams, MAX_SIZE_LIMIT, parseSearchParamsObject, parseSearchQuery, type SearchParams, type SortOrder } from './search-params.js';
export { listAttributes, selectAttributes } from './select.js';
