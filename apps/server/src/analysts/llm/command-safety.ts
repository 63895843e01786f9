const READ_ONLY: RegExp[] = [
  /^kubectl\s+(?:-n\s+\S+\s+|--namespace[= ]\S+\s+)?(?:get|describe|logs|top|explain|version|events|api-resources|auth\s+can-i|rollout\s+(?:status|history))\b/,
  /^docker\s+(?:ps|logs|inspect|stats|top|images|version|info|events)\b/,
  /^helm\s+(?:list|ls|status|history|get)\b/,
  /^systemctl\s+(?:status|show|is-active|list-units)\b/,
  /^(?:journalctl|cat|tail|head|grep|egrep|zgrep|less|ls|df|du|free|top|ps|uptime|dig|nslookup|host|ping|traceroute|netstat|ss|lsof|vmstat|iostat|jq|wc|sort|uniq|awk|echo|date|whoami|promtool\s+query)\b/,
  /^curl\b/,
];

/**
 * Whether a suggested command only reads. Decided here, never by the model: a command is safe when
 * every piped stage is a known read-only command and nothing chains, redirects or substitutes.
 */
export function isReadOnlyCommand(command: string): boolean {
  const c = command.trim();
  if (!c || /[;&<>`]|\$\(|\|\|/.test(c)) return false;
  return c.split("|").every((stage) => {
    const s = stage.trim().replace(/^sudo\s+/, "");
    if (!READ_ONLY.some((r) => r.test(s))) return false;
    if (/^curl\b/.test(s))
      return !/(?:^|\s)(?:-X\s*(?!GET\b)\w+|--request\s+(?!GET\b)\w+|-d\b|--data\S*|-F\b|--form|-T\b|--upload-file|-o\b|--output)/.test(
        s,
      );
    if (/^awk\b/.test(s)) return !/system\s*\(/.test(s);
    return true;
  });
}
