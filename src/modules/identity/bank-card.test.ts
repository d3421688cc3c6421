import { describe, expect, it } from 'vitest';
import { BANKS, CARD_STATUSES, CARD_TRANSITIONS, type CardAction, findBank, nextCardStatus } from './bank-card.ts';

describe('bank card states', () => {
  it('follow seed 004: review, then binding, with failure states', () => {
    expect(nextCardStatus('pending_review', 'approve')).toBe('pending_binding');
    expect(nextCardStatus('pending_review', 'reject')).toBe('rejected');
    expect(nextCardStatus('pending_binding', 'confirm_binding')).toBe('bound');
    expect(nextCardStatus('pending_binding', 'fail_binding')).toBe('binding_failed');
    // A failed binding still awaits binding and may be retried.
    expect(nextCardStatus('binding_failed', 'confirm_binding')).toBe('bound');
    expect(nextCardStatus('bound', 'unbind')).toBe('unbound');
  });

  it('never leave an ended card or skip the review', () => {
    for (const action of Object.keys(CARD_TRANSITIONS) as CardAction[]) {
      expect(nextCardStatus('unbound', action)).toBeUndefined();
    }
    expect(nextCardStatus('pending_review', 'confirm_binding')).toBeUndefined();
    expect(nextCardStatus('rejected', 'approve')).toBeUndefined();
    expect(nextCardStatus('bound', 'approve')).toBeUndefined();
  });

  it('only move between known states, and reasons go with the failure states', () => {
    for (const t of Object.values(CARD_TRANSITIONS)) {
      expect(CARD_STATUSES).toContain(t.to);
      for (const from of t.from) expect(CARD_STATUSES).toContain(from);
      expect(t.needsReason).toBe(t.to === 'rejected' || t.to === 'binding_failed');
    }
  });
});

describe('the bank list', () => {
  it('has unique codes and both names', () => {
    expect(new Set(BANKS.map((b) => b.code)).size).toBe(BANKS.length);
    for (const b of BANKS) expect(b.name.zh && b.name.en).toBeTruthy();
    expect(findBank('ICBC')?.name.zh).toBe('中国工商银行');
    expect(findBank('icbc')).toBeUndefined();
  });
});
