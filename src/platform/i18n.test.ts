import { describe, expect, it } from 'vitest';
import { interpolate, localize, pickLanguage } from './i18n.ts';

describe('pickLanguage', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en', 'en-US'],
    ['en-GB,en;q=0.9', 'en-US'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['fr-FR,en;q=0.5', 'en-US'],
    ['fr-FR,de', 'zh-CN'],
    ['zh;q=0.4,en;q=0.8', 'en-US'],
    ['en;q=0,zh', 'zh-CN'],
    ['*', 'zh-CN'],
    [`${'x,'.repeat(1000)}en`, 'zh-CN'],
  ])('%s → %s', (header, expected) => {
    expect(pickLanguage(header)).toBe(expected);
  });
});

describe('interpolate', () => {
  it('fills known placeholders and keeps unknown ones', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(localize({ zh: '余额 {n}', en: 'balance {n}' }, 'en-US', { n: '1.00' })).toBe('balance 1.00');
  });
  it('does not read inherited properties', () => {
    expect(interpolate('{constructor}', {})).toBe('{constructor}');
  });
});
