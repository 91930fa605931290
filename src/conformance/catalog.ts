/**
 * Every behaviour group and its checks, without running anything: what `--list` prints and what `--only`
 * selects from. The links group derives its checks from the contract (one set per Account link).
 */
import { Contract } from './contract.js';
import { authGroup } from './groups/auth.js';
import { crudGroup } from './groups/crud.js';
import { errorsGroup } from './groups/errors.js';
import type { GroupDefinition } from './groups/group.js';
import { linksGroup } from './groups/links.js';
import { searchGroup } from './groups/search.js';
import { streamGroup } from './groups/stream.js';
import { GROUP_NAMES, type BehaviourGroup } from './report.js';

export const GROUPS: Readonly<Record<BehaviourGroup, GroupDefinition>> = {
  auth: authGroup,
  crud: crudGroup,
  search: searchGroup,
  errors: errorsGroup,
  links: linksGroup,
  stream: streamGroup,
};

let sharedContract: Contract | undefined;

/** The contract is compiled once per process (ajv compilation is the slow part). */
export function contract(): Contract {
  sharedContract ??= new Contract();
  return sharedContract;
}

export interface CatalogGroup {
  name: BehaviourGroup;
  title: string;
  /** Full check IDs (`crud.create-full`) in run order. */
  checks: { id: string; title: string; setup: boolean }[];
}

export function catalog(of: Contract = contract()): CatalogGroup[] {
  return GROUP_NAMES.map((name) => ({
    name,
    title: GROUPS[name].title,
    checks: GROUPS[name].checks(of).map((check) => ({ id: `${name}.${check.id}`, title: check.title, setup: check.setup === true })),
  }));
}

/**
 * An `--only` entry selects a check when it is the check's group, its ID, or an ID prefix that ends at a dot
 * (`search.where` selects `search.where.in` and `search.where.date.today`, not `search.where-x`).
 */
export function onlySelects(entry: string, checkId: string): boolean {
  return checkId === entry || checkId.startsWith(`${entry}.`);
}

/** An `--only` entry runs (part of) a group when it is the group's name or starts with `<group>.`. */
export function onlyTouches(entry: string, group: BehaviourGroup): boolean {
  return entry === group || entry.startsWith(`${group}.`);
}

/** `--list`: every group, and every check ID with its title. */
export function renderList(groups: readonly CatalogGroup[]): string {
  const width = Math.max(...groups.flatMap((g) => g.checks.map((c) => c.id.length)));
  const lines: string[] = [];
  for (const group of groups) {
    lines.push(`${group.name}: ${group.title} (${group.checks.length} checks)`);
    for (const check of group.checks) lines.push(`  ${check.id.padEnd(width)}  ${check.title}${check.setup ? ' [setup: runs whenever a check of its group runs]' : ''}`);
  }
  lines.push('', 'Select with --only GROUP or --only CHECK-ID (also an ID prefix ending at a dot, e.g. search.where).');
  return `${lines.join('\n')}\n`;
}
