import { describe, expect, it } from 'vitest';
import { phpQuerySerializer } from '../../src/client/query-serializer.js';
import { createWhereBuilder } from '../../src/client/where.js';
import { CAPTURE_SEARCH, capturedQuery } from '../support/wire-captures.js';

interface Thing {
  id: string;
  name: string;
  type?: '' | 'Customer' | 'Partner' | null;
  industry?: string | null;
  emailAddressIsOptedOut?: boolean | null;
  versionNumber: number;
  createdAt: string;
  birthday?: string | null;
}

const w = createWhereBuilder<Thing, 'teams' | 'contacts', 'createdAt', 'birthday'>({
  dateTimeAttributes: ['createdAt'],
  dateAttributes: ['birthday'],
});

describe('createWhereBuilder', () => {
  it('builds the capture’s where items, serialized byte for byte as the PHP client sends them', () => {
    const where = [
      w.equals('type', 'Customer'),
      w.or(w.contains('name', 'Acme & Co'), w.in('industry', ['Finance', 'Legal'])),
      w.equals('emailAddressIsOptedOut', false),
    ];
    expect(where).toEqual(CAPTURE_SEARCH.where);
    expect(phpQuerySerializer({ ...CAPTURE_SEARCH, where })).toBe(capturedQuery('phpListWhere'));
  });

  it('keeps key order type, attribute, value', () => {
    expect(Object.keys(w.notEquals('name', 'x'))).toEqual(['type', 'attribute', 'value']);
  });

  it('value-less items', () => {
    expect(w.isNull('industry')).toEqual({ type: 'isNull', attribute: 'industry' });
    expect(w.isNotNull('name')).toEqual({ type: 'isNotNull', attribute: 'name' });
    expect(w.isTrue('emailAddressIsOptedOut')).toEqual({ type: 'isTrue', attribute: 'emailAddressIsOptedOut' });
    expect(w.isFalse('emailAddressIsOptedOut')).toEqual({ type: 'isFalse', attribute: 'emailAddressIsOptedOut' });
  });

  it('text and comparison items', () => {
    expect(w.startsWith('name', 'Ac')).toEqual({ type: 'startsWith', attribute: 'name', value: 'Ac' });
    expect(w.like('name', 'A%e')).toEqual({ type: 'like', attribute: 'name', value: 'A%e' });
    expect(w.greaterThanOrEquals('versionNumber', 3)).toEqual({ type: 'greaterThanOrEquals', attribute: 'versionNumber', value: 3 });
    expect(w.between('versionNumber', 1, 5)).toEqual({ type: 'between', attribute: 'versionNumber', value: [1, 5] });
    expect(w.notIn('type', ['Partner', ''])).toEqual({ type: 'notIn', attribute: 'type', value: ['Partner', ''] });
  });

  it('date presets on date-time attributes add dateTime (and the time zone when given)', () => {
    expect(w.today('createdAt')).toEqual({ type: 'today', attribute: 'createdAt', dateTime: true });
    expect(w.lastXDays('createdAt', 7, { timeZone: 'Europe/Kyiv' })).toEqual({
      type: 'lastXDays',
      attribute: 'createdAt',
      value: 7,
      dateTime: true,
      timeZone: 'Europe/Kyiv',
    });
    expect(w.between('createdAt', '2026-01-01', '2026-01-31')).toEqual({
      type: 'between',
      attribute: 'createdAt',
      value: ['2026-01-01', '2026-01-31'],
      dateTime: true,
    });
    expect(w.on('createdAt', '2026-11-27')).toEqual({ type: 'on', attribute: 'createdAt', value: '2026-11-27', dateTime: true });
  });

  it('date presets on date attributes stay plain', () => {
    expect(w.currentFiscalQuarter('birthday', { timeZone: 'UTC' })).toEqual({ type: 'currentFiscalQuarter', attribute: 'birthday' });
    expect(w.before('birthday', '2000-01-01')).toEqual({ type: 'before', attribute: 'birthday', value: '2000-01-01' });
  });

  it('link items use the link name as attribute', () => {
    expect(w.linkedWith('teams', ['t1', 't2'])).toEqual({ type: 'linkedWith', attribute: 'teams', value: ['t1', 't2'] });
    expect(w.notLinkedWith('contacts', 'c1')).toEqual({ type: 'notLinkedWith', attribute: 'contacts', value: 'c1' });
    expect(w.isNotLinked('contacts')).toEqual({ type: 'isNotLinked', attribute: 'contacts' });
  });

  it('groups nest and accept hand-written items', () => {
    expect(w.and(w.isLinked('teams'), { type: 'equals', attribute: 'name', value: 'raw' })).toEqual({
      type: 'and',
      value: [
        { type: 'isLinked', attribute: 'teams' },
        { type: 'equals', attribute: 'name', value: 'raw' },
      ],
    });
  });
});
