/** Today's calendar day in UTC, as the forms and the database write it (YYYY-MM-DD). */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
