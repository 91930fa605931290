/**
 * Builders for EspoCRM where items (Select/Where/Item.php) whose attribute names and values are
 * checked against an entity type at compile time. They return the plain objects EspoCRM reads,
 * so built and hand-written items mix freely in a `where` array.
 */

export type WhereScalar = string | number | boolean | null;
/** Lists (`in`, `between`, link IDs) hold strings or numbers, as EspoCRM's where value allows. */
export type WhereList = (string | number)[];

type DatePreset =
  | 'today' | 'past' | 'future' | 'ever' | 'lastSevenDays'
  | 'currentMonth' | 'lastMonth' | 'nextMonth'
  | 'currentQuarter' | 'lastQuarter'
  | 'currentYear' | 'lastYear'
  | 'currentFiscalYear' | 'lastFiscalYear' | 'currentFiscalQuarter' | 'lastFiscalQuarter';
type DayCount = 'lastXDays' | 'nextXDays' | 'olderThanXDays' | 'afterXDays';
type DateCompare = 'on' | 'notOn' | 'after' | 'before';
type TextMatch = 'contains' | 'notContains' | 'startsWith' | 'endsWith' | 'like' | 'notLike';
type Compare = 'greaterThan' | 'lessThan' | 'greaterThanOrEquals' | 'lessThanOrEquals';
type LinkMatch = 'linkedWith' | 'notLinkedWith' | 'linkedWithAll';

/** Item types that carry a value. */
export type ValueWhereType = 'equals' | 'notEquals' | 'in' | 'notIn' | TextMatch | Compare | 'between' | DateCompare | DayCount | LinkMatch;
/** Item types whose type says it all. */
export type BareWhereType = 'isNull' | 'isNotNull' | 'isTrue' | 'isFalse' | DatePreset | 'isLinked' | 'isNotLinked';

/** An item that compares an attribute with a value. */
export interface ValueWhereItem<T extends ValueWhereType = ValueWhereType> {
  type: T;
  attribute: string;
  value: WhereScalar | WhereList;
  dateTime?: boolean;
  timeZone?: string;
}

/** An item without a value (`isNull`, `today`, `isLinked`, …). */
export interface BareWhereItem<T extends BareWhereType = BareWhereType> {
  type: T;
  attribute: string;
  dateTime?: boolean;
  timeZone?: string;
}

/** `and` / `or` over nested items; `W` admits hand-written items of another type (e.g. the spec's `WhereItem`). */
export interface GroupWhereItem<T extends 'and' | 'or' = 'and' | 'or', W = never> {
  type: T;
  value: (BuiltWhereItem<W> | W)[];
}

export type BuiltWhereItem<W = never> = ValueWhereItem | BareWhereItem | GroupWhereItem<'and' | 'or', W>;

type Scalar = string | number | boolean;

/** Attribute names of `A` (string keys only). */
export type AttributeOf<A> = Extract<keyof A, string>;

/** Attribute names of `A` whose non-null value type is assignable to `V`. */
export type AttributeOfType<A, V> = {
  [K in AttributeOf<A>]-?: [NonNullable<A[K]>] extends [never] ? never : NonNullable<A[K]> extends V ? K : never;
}[AttributeOf<A>];

/** The value an attribute can be compared with: its own type without `null`. */
export type ValueOf<A, K extends keyof A> = NonNullable<A[K]>;

export interface DateOptions {
  /** IANA zone for the day boundaries of date-time attributes (default: the user's zone in EspoCRM). */
  readonly timeZone?: string;
}

/**
 * `A`: the entity's attributes; `L`: its link names (for `linkedWith`, `isLinked`);
 * `DT` / `D`: its date-time and date attributes (date-time items get `dateTime: true`, which
 * EspoCRM needs to compare whole days in a time zone).
 */
export type WhereBuilder<A, L extends string, DT extends AttributeOf<A>, D extends AttributeOf<A>, W = never> = {
  [T in 'equals' | 'notEquals']: <K extends AttributeOfType<A, Scalar>>(attribute: K, value: ValueOf<A, K>) => ValueWhereItem<T>;
} & {
  [T in 'in' | 'notIn']: <K extends AttributeOfType<A, string | number>>(attribute: K, values: ValueOf<A, K>[]) => ValueWhereItem<T>;
} & {
  [T in 'isNull' | 'isNotNull']: (attribute: AttributeOf<A>) => BareWhereItem<T>;
} & {
  [T in 'isTrue' | 'isFalse']: (attribute: AttributeOfType<A, boolean>) => BareWhereItem<T>;
} & {
  [T in TextMatch]: (attribute: AttributeOfType<A, string>, text: string) => ValueWhereItem<T>;
} & {
  [T in Compare]: <K extends AttributeOfType<A, number> | DT | D>(attribute: K, value: ValueOf<A, K>) => ValueWhereItem<T>;
} & {
  between: <K extends AttributeOfType<A, number> | DT | D>(
    attribute: K,
    from: ValueOf<A, K>,
    to: ValueOf<A, K>,
    options?: DateOptions,
  ) => ValueWhereItem<'between'>;
} & {
  [T in DateCompare]: (attribute: DT | D, date: string, options?: DateOptions) => ValueWhereItem<T>;
} & {
  [T in DatePreset]: (attribute: DT | D, options?: DateOptions) => BareWhereItem<T>;
} & {
  [T in DayCount]: (attribute: DT | D, days: number, options?: DateOptions) => ValueWhereItem<T>;
} & {
  [T in LinkMatch]: (link: L, ids: string | string[]) => ValueWhereItem<T>;
} & {
  [T in 'isLinked' | 'isNotLinked']: (link: L) => BareWhereItem<T>;
} & {
  [T in 'and' | 'or']: (...items: (BuiltWhereItem<W> | W)[]) => GroupWhereItem<T, W>;
};

export interface WhereBuilderConfig<DT extends string, D extends string> {
  readonly dateTimeAttributes?: readonly DT[];
  readonly dateAttributes?: readonly D[];
}

const DATE_PRESETS: readonly DatePreset[] = [
  'today', 'past', 'future', 'ever', 'lastSevenDays', 'currentMonth', 'lastMonth', 'nextMonth', 'currentQuarter',
  'lastQuarter', 'currentYear', 'lastYear', 'currentFiscalYear', 'lastFiscalYear', 'currentFiscalQuarter', 'lastFiscalQuarter',
];
const DAY_COUNTS: readonly DayCount[] = ['lastXDays', 'nextXDays', 'olderThanXDays', 'afterXDays'];
const DATE_COMPARES: readonly DateCompare[] = ['on', 'notOn', 'after', 'before'];
const TEXT_MATCHES: readonly TextMatch[] = ['contains', 'notContains', 'startsWith', 'endsWith', 'like', 'notLike'];
const COMPARES: readonly Compare[] = ['greaterThan', 'lessThan', 'greaterThanOrEquals', 'lessThanOrEquals'];
const LINK_MATCHES: readonly LinkMatch[] = ['linkedWith', 'notLinkedWith', 'linkedWithAll'];

export function createWhereBuilder<
  A,
  L extends string = never,
  DT extends AttributeOf<A> = never,
  D extends AttributeOf<A> = never,
  W = never,
>(config: WhereBuilderConfig<DT, D> = {}): WhereBuilder<A, L, DT, D, W> {
  const dateTimes: ReadonlySet<string> = new Set(config.dateTimeAttributes ?? []);

  // Key order type, attribute, value, dateTime, timeZone: the order EspoCRM's own UI and the captures use.
  const dated = <I extends BareWhereItem | ValueWhereItem>(item: I, options: DateOptions | undefined): I => {
    if (!dateTimes.has(item.attribute)) return item;
    return options?.timeZone === undefined ? { ...item, dateTime: true } : { ...item, dateTime: true, timeZone: options.timeZone };
  };
  const value = <T extends ValueWhereType>(type: T, attribute: string, v: ValueWhereItem['value']): ValueWhereItem<T> => ({
    type,
    attribute,
    value: v,
  });
  const bare = <T extends BareWhereType>(type: T, attribute: string): BareWhereItem<T> => ({ type, attribute });

  const ops: Record<string, (...args: never[]) => BuiltWhereItem<W>> = {};
  for (const t of ['equals', 'notEquals', 'in', 'notIn', ...TEXT_MATCHES, ...COMPARES] as const) {
    ops[t] = (attribute: string, v: WhereScalar | WhereList) => value(t, attribute, v);
  }
  for (const t of ['isNull', 'isNotNull', 'isTrue', 'isFalse'] as const) ops[t] = (attribute: string) => bare(t, attribute);
  ops['between'] = (attribute: string, from: string | number, to: string | number, options?: DateOptions) =>
    dated(value('between', attribute, [from, to]), options);
  for (const t of DATE_COMPARES) {
    ops[t] = (attribute: string, date: string, options?: DateOptions) => dated(value(t, attribute, date), options);
  }
  for (const t of DATE_PRESETS) ops[t] = (attribute: string, options?: DateOptions) => dated(bare(t, attribute), options);
  for (const t of DAY_COUNTS) {
    ops[t] = (attribute: string, days: number, options?: DateOptions) => dated(value(t, attribute, days), options);
  }
  for (const t of LINK_MATCHES) ops[t] = (link: string, ids: string | string[]) => value(t, link, ids);
  for (const t of ['isLinked', 'isNotLinked'] as const) ops[t] = (link: string) => bare(t, link);
  for (const t of ['and', 'or'] as const) {
    ops[t] = (...items: (BuiltWhereItem<W> | W)[]): GroupWhereItem<'and' | 'or', W> => ({ type: t, value: items });
  }

  // The mapped types above describe exactly the functions registered here.
  return ops as unknown as WhereBuilder<A, L, DT, D, W>;
}
