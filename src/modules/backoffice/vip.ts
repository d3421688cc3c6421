/** A VIP level (VIP 等级) and the points it takes. */
export interface VipLevel {
  readonly level: number;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly minPoints: bigint;
}

export interface VipStanding {
  readonly points: bigint;
  readonly level: VipLevel;
  /** The next level up, and how many more points it takes; null at the top. */
  readonly next: { readonly level: VipLevel; readonly pointsNeeded: bigint } | null;
}

/**
 * The level whose threshold the points reach, highest first. `levels` must contain a level with
 * threshold 0 (the migration seeds one), so every member has a level.
 */
export function vipStanding(points: bigint, levels: readonly VipLevel[]): VipStanding {
  const sorted = [...levels].sort((a, b) => (a.minPoints < b.minPoints ? -1 : a.minPoints > b.minPoints ? 1 : 0));
  const base = sorted[0];
  if (base?.minPoints !== 0n) throw new Error('vipStanding: levels must start at 0 points');
  if (points < 0n) throw new Error('vipStanding: points cannot be negative');
  let index = 0;
  for (let i = 0; i < sorted.length; i += 1) if (sorted[i]!.minPoints <= points) index = i;
  const level = sorted[index]!;
  const up = sorted[index + 1];
  return { points, level, next: up ? { level: up, pointsNeeded: up.minPoints - points } : null };
}
