/** Languages the platform speaks. zh-CN is the default; en-US is chosen by Accept-Language. */
export const LANGUAGES = ['zh-CN', 'en-US'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

/** A text in every language the platform speaks. */
export interface LocalizedText {
  readonly zh: string;
  readonly en: string;
}

const ACCEPT_LANGUAGE_CHARS_MAX = 256;

/**
 * Pick the response language from an Accept-Language header: the highest-weighted tag that is
 * Chinese or English wins; anything else (or nothing) falls back to zh-CN.
 */
export function pickLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return DEFAULT_LANGUAGE;
  const candidates = acceptLanguage
    .slice(0, ACCEPT_LANGUAGE_CHARS_MAX)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { tag, weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((c) => c.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const c of candidates) {
    if (c.tag === 'en' || c.tag.startsWith('en-')) return 'en-US';
    if (c.tag === 'zh' || c.tag.startsWith('zh-')) return 'zh-CN';
  }
  return DEFAULT_LANGUAGE;
}

/** Replace `{name}` placeholders with values; unknown placeholders are left as they are. */
export function interpolate(template: string, values: Readonly<Record<string, unknown>> | undefined): string {
  if (!values) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

export function localize(text: LocalizedText, language: Language, values?: Readonly<Record<string, unknown>>): string {
  return interpolate(language === 'en-US' ? text.en : text.zh, values);
}
