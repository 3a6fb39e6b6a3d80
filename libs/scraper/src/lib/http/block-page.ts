/** Signs of a Cloudflare challenge or access-denied page instead of content. */
export function looksBlocked(html: string): string | undefined {
  if (/<title>\s*(Just a moment|Attention Required)/i.test(html) || /cf-chl-|challenge-form|cf_chl_opt/i.test(html)) {
    return 'Cloudflare challenge page';
  }
  if (/<title>\s*Access denied/i.test(html) || /<h1>\s*Access denied/i.test(html)) return 'access denied page';
  return undefined;
}
