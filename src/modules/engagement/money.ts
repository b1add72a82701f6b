/** Decimal places of a currency (2 for GBP, 0 for JPY), from the platform's ICU data. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}

const MAX_MINOR = 2_147_483_647;

/** "25", "25.5", "25,50" → minor units; null when the currency has fewer decimals than typed. */
export function toMinor(amount: string, currency: string): number | null {
  const [whole = '0', fraction = ''] = amount.replace(',', '.').split('.');
  const digits = currencyDigits(currency);
  if (fraction.length > digits) return null;
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  // Stored as a 4-byte integer: 9,999,999.999 dinars would not fit.
  return minor > MAX_MINOR ? null : minor;
}

export function fromMinor(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

export function formatMoney(locale: string, minor: number, currency: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 10 ** currencyDigits(currency));
}

/** Common currencies first for the diaspora in Europe; any ISO 4217 code is accepted. */
export const CURRENCIES = ['GBP', 'EUR', 'USD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CAD', 'AUD'] as const;
