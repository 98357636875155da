/**
 * RFC 4180 CSV with CRLF line ends, UTF-8 with a byte-order mark (so that Excel opens å, ä, ö right), and cells that
 * a spreadsheet would read as a formula (=, +, -, @, tab, CR at the start) quoted with a leading apostrophe (OWASP's
 * CSV injection advice).
 */
export function csvOf(rows: readonly (readonly (string | number | null)[])[]): Uint8Array {
  const cell = (value: string | number | null): string => {
    let s = value === null ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n;]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
  return new TextEncoder().encode(`\uFEFF${text}`);
}
