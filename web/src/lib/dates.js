// Dates at their precision, as the store writes them (crates/store/src/dates.rs): `2022-01-14` a
// day, `2022-01` a month, `2022` a year, `2022-W03` a week, `2022-Q1` a quarter, `2022-SU` a
// season, `2022-H1` a half. A period is [start, end) in UTC milliseconds.

const DAY = 86400000;

function utc(y, m, d) {
  return Date.UTC(y, m - 1, d);
}

/** `{start, end, precision}` with `end` exclusive, or null for values that are no period. */
export function period(value) {
  if (typeof value !== 'string') return null;
  let m = /^(\d{4})$/.exec(value);
  if (m) return { start: utc(+m[1], 1, 1), end: utc(+m[1] + 1, 1, 1), precision: 'year' };
  m = /^(\d{4})-(\d{2})$/.exec(value);
  if (m && +m[2] >= 1 && +m[2] <= 12) {
    return { start: utc(+m[1], +m[2], 1), end: utc(+m[1], +m[2] + 1, 1), precision: 'month' };
  }
  m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (m) {
    const s = utc(+m[1], +m[2], +m[3]);
    return { start: s, end: s + DAY, precision: 'day' };
  }
  m = /^(\d{4})-W(\d{2})$/.exec(value);
  if (m && +m[2] >= 1 && +m[2] <= 53) {
    // ISO week 1 holds 4 January; weeks start on Monday.
    const jan4 = utc(+m[1], 1, 4);
    const dow = (new Date(jan4).getUTCDay() + 6) % 7;
    const s = jan4 - dow * DAY + (+m[2] - 1) * 7 * DAY;
    return { start: s, end: s + 7 * DAY, precision: 'week' };
  }
  m = /^(\d{4})-Q([1-4])$/.exec(value);
  if (m) {
    const first = (+m[2] - 1) * 3 + 1;
    return { start: utc(+m[1], first, 1), end: utc(+m[1], first + 3, 1), precision: 'quarter' };
  }
  m = /^(\d{4})-H([12])$/.exec(value);
  if (m) {
    const first = m[2] === '1' ? 1 : 7;
    return { start: utc(+m[1], first, 1), end: utc(+m[1], first + 6, 1), precision: 'half' };
  }
  m = /^(\d{4})-(SP|SU|FA|WI)$/.exec(value);
  if (m) {
    const first = { SP: 3, SU: 6, FA: 9, WI: 12 }[m[2]];
    return { start: utc(+m[1], first, 1), end: utc(+m[1], first + 3, 1), precision: 'season' };
  }
  return null;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];
const SEASONS = { SP: 'spring', SU: 'summer', FA: 'autumn', WI: 'winter' };

/** A human label that keeps the precision: "14 January 2022", "January 2022 (month)", "2022 (year)". */
export function label(value, precision) {
  if (!value) return 'undated';
  const p = period(value);
  if (!p) return String(value);
  const d = new Date(p.start);
  const y = value.slice(0, 4);
  switch (p.precision) {
    case 'day':
      return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
    case 'month':
      return `${MONTHS[d.getUTCMonth()]} ${y} (month)`;
    case 'year':
      return `${y} (year)`;
    case 'week':
      return `week ${value.slice(6)} of ${y}`;
    case 'quarter':
      return `${value.slice(5)} ${y} (quarter)`;
    case 'half':
      return `${value.slice(5)} ${y} (half year)`;
    case 'season':
      return `${SEASONS[value.slice(5)]} ${y}`;
    default:
      return precision ? `${value} (${precision})` : String(value);
  }
}
