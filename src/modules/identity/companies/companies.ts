/**
 * Company profiles (企业用户): the fixed lists and limits. Pure (no Node-only APIs): the web imports it.
 *
 * Who has one: any customer may record one company profile, acting as that company's legal representative
 * or authorised operator (a person borrowing for their small business, or a customer registered as a
 * company). Saving a profile does not change the customer's own kind (`users.kind`); a customer registered
 * as a company is expected to record it. The unified social credit code is unique across the platform.
 */

/** Industry sections after GB/T 4754-2017, grouped where a lending platform needs no finer split. */
export const INDUSTRIES = [
  'agriculture',
  'mining',
  'manufacturing',
  'utilities',
  'construction',
  'wholesale_retail',
  'transport_logistics',
  'hospitality_catering',
  'information_technology',
  'finance',
  'real_estate',
  'leasing_business_services',
  'research_technical',
  'environment_public_facilities',
  'resident_services',
  'education',
  'health_social_work',
  'culture_sports_entertainment',
  'other',
] as const;
export type Industry = (typeof INDUSTRIES)[number];

export const COMPANY_NAME_CHARS_MIN = 2;
export const COMPANY_NAME_CHARS_MAX = 100;
export const LEGAL_REPRESENTATIVE_CHARS_MIN = 2;
export const LEGAL_REPRESENTATIVE_CHARS_MAX = 50;
/** Founding dates before this are refused as implausible. */
export const FOUNDED_ON_MIN = '1900-01-01';
/** Most yearly statements one company keeps. */
export const FINANCIAL_YEARS_MAX = 50;
export const FINANCIAL_YEAR_MIN = 1900;

/** A person's name: letters of any script, the middle dot of transliterated names, spaces, `.`, `'`, `-`. */
const LEGAL_REPRESENTATIVE_PATTERN = /^[\p{L}\p{M}·・.' -]+$/u;
/** No control or format characters in names shown to people. */
const CONTROL_PATTERN = /[\p{Cc}\p{Cf}]/u;

/** A company name made tidy (NFC, inner runs of blanks collapsed, trimmed), or undefined when unacceptable. */
export function cleanCompanyName(text: string): string | undefined {
  const cleaned = text.normalize('NFC').replace(/\s+/gu, ' ').trim();
  const chars = Array.from(cleaned).length;
  if (chars < COMPANY_NAME_CHARS_MIN || chars > COMPANY_NAME_CHARS_MAX || CONTROL_PATTERN.test(cleaned)) {
    return undefined;
  }
  return cleaned;
}

/** A legal representative's name made tidy, or undefined when it is not a plausible personal name. */
export function cleanLegalRepresentative(text: string): string | undefined {
  const cleaned = text.normalize('NFC').replace(/\s+/gu, ' ').trim();
  const chars = Array.from(cleaned).length;
  if (chars < LEGAL_REPRESENTATIVE_CHARS_MIN || chars > LEGAL_REPRESENTATIVE_CHARS_MAX) return undefined;
  if (!LEGAL_REPRESENTATIVE_PATTERN.test(cleaned)) return undefined;
  return cleaned;
}
