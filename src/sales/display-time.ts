const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "about 2 months ago": the sale's `timestamp` display text, in the manner of Rails' time_ago_in_words. */
export function timeAgoInWords(ms: number, now = Date.now()): string {
  const minutes = Math.round(Math.max(0, now - ms) / 60_000);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  let words: string;
  if (minutes < 1) words = 'less than a minute';
  else if (minutes < 45) words = plural(minutes, 'minute');
  else if (minutes < 90) words = 'about 1 hour';
  else if (minutes < 1440) words = `about ${plural(Math.round(minutes / 60), 'hour')}`;
  else if (minutes < 2520) words = '1 day';
  else if (minutes < 43_200) words = plural(Math.round(minutes / 1440), 'day');
  else if (minutes < 86_400) words = `about ${plural(Math.round(minutes / 43_200), 'month')}`;
  else if (minutes < 525_600) words = plural(Math.round(minutes / 43_200), 'month');
  else {
    const years = minutes / 525_600;
    const whole = Math.floor(years);
    const rest = years - whole;
    words = rest < 0.25 ? `about ${plural(whole, 'year')}` : rest < 0.75 ? `over ${plural(whole, 'year')}` : `almost ${plural(whole + 1, 'year')}`;
  }
  return `${words} ago`;
}

/** "5 Jan 2021 7:38 PM" (UTC): the sale's `daystamp` display text. */
export function dayStamp(ms: number): string {
  const d = new Date(ms);
  const hours = d.getUTCHours();
  const minutes = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${hours % 12 || 12}:${minutes} ${hours < 12 ? 'AM' : 'PM'}`;
}
