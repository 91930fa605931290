/**
 * EspoCRM's named regular expressions (application/Espo/Resources/metadata/app/regExpPatterns.json).
 * Validators anchor them as `^(?:pattern)$`, as EspoCRM does with `/^pattern$/`.
 */
export const namedPatterns: Readonly<Record<string, string>> = {
  noBadCharacters: '[^<>=]+',
  id: '[A-Za-z0-9_=\\-\\.]+',
  phoneNumberLoose: '[0-9A-Za-z_@:#\\+\\(\\)\\-\\. ]+',
  uriOptionalProtocol:
    "([a-zA-Z0-9]+\\:\\/\\/)?[a-zA-Z0-9%\\.\\/\\?\\:@\\-_=#$!+*\\(\\)',]+\\.([a-zA-Z0-9%\\&\\.\\/\\?\\:@\\-_=#$!+*\\(\\)',~])*",
};

const cache = new Map<string, RegExp>();

/** `$name` → the named pattern; anything else is a pattern source. Anchored. */
export function compilePattern(pattern: string): RegExp {
  let regExp = cache.get(pattern);
  if (!regExp) {
    const source = pattern.startsWith('$') ? (namedPatterns[pattern.slice(1)] ?? pattern) : pattern;
    regExp = new RegExp(`^(?:${source})$`);
    cache.set(pattern, regExp);
  }
  return regExp;
}
