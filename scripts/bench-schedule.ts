/**
 * `npm run bench:schedule`: compute 100,000 random 36-month schedules with our exact engine and with the
 * `loanjs` npm package (floats) on the same inputs, in the same run; report speed, where loanjs's figures
 * differ from ours, and the speed ratio (ours / loanjs) on the last line. Options: --count N, --rounds N, --seed N.
 */
import { parseArgs } from 'node:util';
import loanjs from 'loanjs';
import { annualRateFromPpm } from '../src/modules/money/index.ts';
import { computeSchedule, type Schedule, type ScheduleInput } from '../src/modules/servicing/schedule/index.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
    seed: { type: 'string', default: '20260131' },
  },
});
const COUNT = Number(values.count);
const ROUNDS = Number(values.rounds);
const TERM_MONTHS = 36;
const WARMUP_COUNT = Math.min(COUNT, 5000);
if (!Number.isSafeInteger(COUNT) || COUNT < 1 || COUNT > 10_000_000) throw new Error('--count must be 1 to 10,000,000');
if (!Number.isSafeInteger(ROUNDS) || ROUNDS < 1 || ROUNDS > 20) throw new Error('--rounds must be 1 to 20');

/** A small seeded generator (mulberry32) so every run benches the same loans. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Case {
  readonly ours: ScheduleInput;
  /** loanjs takes yuan and a percentage as floats. */
  readonly amountYuan: number;
  readonly ratePercent: number;
  readonly loanType: 'annuity' | 'diminishing';
}

function makeCases(count: number, seed: number): Case[] {
  const random = generator(seed);
  const cases: Case[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const amountFen = 100_000 + Math.floor(random() * 99_900_001); // 1,000.00 to 1,000,000.00 yuan
    const ratePpm = 1 + Math.floor(random() * 360_000); // 0.000001 to 0.36 (loanjs refuses 0)
    const annuity = i % 2 === 0;
    cases[i] = {
      ours: {
        method: annuity ? 'equal_installment' : 'equal_principal',
        amountFen: BigInt(amountFen),
        annualRate: annualRateFromPpm(BigInt(ratePpm)),
        termMonths: TERM_MONTHS,
        startDate: '2026-01-31',
      },
      amountYuan: amountFen / 100,
      ratePercent: ratePpm / 10_000,
      loanType: annuity ? 'annuity' : 'diminishing',
    };
  }
  return cases;
}

type LoanJsResult = ReturnType<typeof loanjs.Loan>;

function runOurs(cases: readonly Case[]): Schedule[] {
  return cases.map((c) => computeSchedule(c.ours));
}

function runLoanJs(cases: readonly Case[]): LoanJsResult[] {
  return cases.map((c) => loanjs.Loan(c.amountYuan, TERM_MONTHS, c.ratePercent, c.loanType));
}

/**
 * The timed loops keep only a checksum of each result (so the work cannot be skipped), not the results:
 * holding 100,000 schedules would time the garbage collector more than the arithmetic.
 */
function timeOurs(cases: readonly Case[]): number {
  let checksum = 0n;
  for (let i = 0; i < cases.length; i++) checksum += computeSchedule((cases[i] as Case).ours).totalPaymentFen;
  return Number(checksum % 1_000_003n);
}

function timeLoanJs(cases: readonly Case[]): number {
  let checksum = 0;
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i] as Case;
    checksum += loanjs.Loan(c.amountYuan, TERM_MONTHS, c.ratePercent, c.loanType).sum;
  }
  return checksum % 1_000_003;
}

function timed<T>(run: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = run();
  return { result, ms: performance.now() - started };
}

/** loanjs's yuan floats to whole fen, only to compare them with ours. */
const toFen = (yuan: number) => BigInt(Math.round(yuan * 100));

function compare(cases: readonly Case[], ours: readonly Schedule[], theirs: readonly LoanJsResult[]) {
  let schedulesDiffering = 0;
  let schedulesDifferingBeforeLast = 0;
  let figuresDiffering = 0;
  let figures = 0;
  let largestFen = 0n;
  let largestWhere = '';
  let principalMisses = 0;
  let largestPrincipalMissFen = 0n;
  const byKind = { principal: 0, interest: 0, payment: 0 };
  for (let i = 0; i < cases.length; i++) {
    const mine = ours[i] as Schedule;
    const other = theirs[i] as LoanJsResult;
    let differs = false;
    let differsBeforeLast = false;
    let principalSum = 0n;
    for (let k = 0; k < mine.rows.length; k++) {
      const row = mine.rows[k];
      const inst = other.installments[k];
      if (!row || !inst) throw new Error(`case ${i}: row ${k + 1} is missing`);
      const pairs = [
        ['principal', row.principalFen, toFen(inst.capital)],
        ['interest', row.interestFen, toFen(inst.interest)],
        ['payment', row.paymentFen, toFen(inst.installment)],
      ] as const;
      principalSum += toFen(inst.capital);
      for (const [kind, a, b] of pairs) {
        figures++;
        if (a === b) continue;
        differs = true;
        if (k < mine.rows.length - 1) differsBeforeLast = true;
        figuresDiffering++;
        byKind[kind]++;
        const gap = a > b ? a - b : b - a;
        if (gap > largestFen) {
          largestFen = gap;
          const c = (cases[i] as Case).ours;
          largestWhere = `${c.method} ${c.amountFen} fen at ${c.annualRate.text}, period ${k + 1} ${kind}: ours ${a}, loanjs ${b}`;
        }
      }
    }
    const amountFen = (cases[i] as Case).ours.amountFen;
    if (principalSum !== amountFen) {
      principalMisses++;
      const miss = principalSum > amountFen ? principalSum - amountFen : amountFen - principalSum;
      if (miss > largestPrincipalMissFen) largestPrincipalMissFen = miss;
    }
    if (differs) schedulesDiffering++;
    if (differsBeforeLast) schedulesDifferingBeforeLast++;
  }
  return {
    schedulesDiffering,
    schedulesDifferingBeforeLast,
    figuresDiffering,
    figures,
    largestFen,
    largestWhere,
    principalMisses,
    largestPrincipalMissFen,
    byKind,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const cases = makeCases(COUNT, Number(values.seed));
timeOurs(cases.slice(0, WARMUP_COUNT));
timeLoanJs(cases.slice(0, WARMUP_COUNT));

let bestOursMs = Number.POSITIVE_INFINITY;
let bestLoanJsMs = Number.POSITIVE_INFINITY;
for (let round = 1; round <= ROUNDS; round++) {
  // Alternate who goes first, so neither always runs on the heap the other left behind.
  const oursFirst = round % 2 === 1;
  const first = timed(() => (oursFirst ? timeOurs(cases) : timeLoanJs(cases)));
  const second = timed(() => (oursFirst ? timeLoanJs(cases) : timeOurs(cases)));
  const oursMs = oursFirst ? first.ms : second.ms;
  const loanJsMs = oursFirst ? second.ms : first.ms;
  bestOursMs = Math.min(bestOursMs, oursMs);
  bestLoanJsMs = Math.min(bestLoanJsMs, loanJsMs);
  console.log(`round ${round}: ours ${oursMs.toFixed(0)} ms · loanjs ${loanJsMs.toFixed(0)} ms`);
}

const diff = compare(cases, runOurs(cases), runLoanJs(cases));
const oursPerSecond = (COUNT / bestOursMs) * 1000;
const loanJsPerSecond = (COUNT / bestLoanJsMs) * 1000;

console.log(
  `${fmt(COUNT)} random ${TERM_MONTHS}-month schedules (half equal_installment/annuity, half equal_principal/diminishing), ` +
    `amounts 1,000.00–1,000,000.00, rates 0.0001%–36%, Node ${process.version}, best of ${ROUNDS} rounds`,
);
console.log(`ours   (exact, bigint fen, with due dates): ${fmt(oursPerSecond)} schedules/s`);
console.log(`loanjs (floats, no dates)                 : ${fmt(loanJsPerSecond)} schedules/s`);
console.log(
  `loanjs differs from ours in ${fmt(diff.schedulesDiffering)} of ${fmt(COUNT)} schedules: ` +
    `${fmt(diff.figuresDiffering)} of ${fmt(diff.figures)} figures ` +
    `(principal ${fmt(diff.byKind.principal)}, interest ${fmt(diff.byKind.interest)}, payment ${fmt(diff.byKind.payment)}), ` +
    `largest difference ${diff.largestFen} fen`,
);
console.log(
  `  in ${fmt(diff.schedulesDifferingBeforeLast)} of them before the last period (float rounding of interest or ` +
    `installment); the rest only in the last period, where loanjs does not take the remaining principal`,
);
if (diff.largestWhere) console.log(`  largest: ${diff.largestWhere}`);
console.log(
  `loanjs rows' principal misses the loan amount in ${fmt(diff.principalMisses)} schedules ` +
    `(by up to ${diff.largestPrincipalMissFen} fen); ours: 0 (asserted for every schedule)`,
);
console.log(
  `ours schedules/s ${Math.round(oursPerSecond)} · loanjs schedules/s ${Math.round(loanJsPerSecond)} · ` +
    `ratio ${(oursPerSecond / loanJsPerSecond).toFixed(2)}`,
);
