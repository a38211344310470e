import Bowser from 'bowser';

/** "Chrome 140 on Linux" from a User-Agent header (bowser); "Unknown device" when it says nothing useful. */
export function describeDevice(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown device';
  try {
    const parsed = Bowser.parse(userAgent);
    const browser = parsed.browser.name ? `${parsed.browser.name}${parsed.browser.version ? ' ' + parsed.browser.version.split('.')[0] : ''}` : '';
    const os = parsed.os.name ?? '';
    if (browser && os) return `${browser} on ${os}`;
    return browser || os || 'Unknown device';
  } catch {
    return 'Unknown device';
  }
}
