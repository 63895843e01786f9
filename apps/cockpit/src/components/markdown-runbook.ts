/** A Markdown file read as a runbook draft: its first `# heading` is the title, its name (without `.md`) the id. */
export function runbookFromMarkdown(fileName: string, text: string): { id: string; title: string; body: string } {
  const heading = text.match(/^#\s+(.+?)\s*#*\s*$/m)?.[1]?.trim();
  const id = fileName.replace(/\.(md|markdown)$/i, "").trim();
  return { id, title: heading || id, body: text };
}
