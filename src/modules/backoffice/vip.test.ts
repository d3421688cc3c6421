import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type VipLevel, vipStanding } from './vip.ts';

const LEVELS: VipLevel[] = [
  { level: 2, nameZh: '黄金会员', nameEn: 'Gold', minPoints: 5000n },
  { level: 0, nameZh: '普通会员', nameEn: 'Member', minPoints: 0n },
  { level: 1, nameZh: '白银会员', nameEn: 'Silver', minPoints: 1000n },
];

describe('vipStanding', () => {
  it('picks the highest level whose threshold the points reach', () => {
    expect(vipStanding(0n, LEVELS).level.level).toBe(0);
    expect(vipStanding(999n, LEVELS)).toMatchObject({
      level: { level: 0 },
      next: { level: { level: 1 }, pointsNeeded: 1n },
    });
    expect(vipStanding(1000n, LEVELS).level.level).toBe(1);
    expect(vipStanding(4999n, LEVELS).level.level).toBe(1);
    expect(vipStanding(5000n, LEVELS)).toMatchObject({ level: { level: 2 }, next: null });
    expect(vipStanding(10n ** 15n, LEVELS).level.level).toBe(2);
  });

  it('refuses negative points and level lists without a 0 threshold', () => {
    expect(() => vipStanding(-1n, LEVELS)).toThrow();
    expect(() => vipStanding(5n, LEVELS.slice(0, 1))).toThrow();
    expect(() => vipStanding(5n, [])).toThrow();
  });

  it('the level reached never exceeds the points, and the next one is beyond them', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), (points) => {
        const s = vipStanding(points, LEVELS);
        expect(s.level.minPoints <= points).toBe(true);
        if (s.next) expect(s.next.pointsNeeded > 0n && s.next.level.minPoints > points).toBe(true);
      }),
    );
  });
});
