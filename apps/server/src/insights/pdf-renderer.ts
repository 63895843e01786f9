import { existsSync } from "node:fs";
import { UnavailableError } from "../shared/errors.js";

/** Flags for a headless Chromium that reaches nothing on the network by itself. */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Renders HTML to PDF with the system's Chromium (never a downloaded browser). */
export class PdfRenderer {
  constructor(private readonly executablePath: string) {}

  get available(): boolean {
    return existsSync(this.executablePath);
  }

  async render(html: string): Promise<Buffer> {
    if (!this.available) throw new UnavailableError(`no Chromium at ${this.executablePath} (AEGIS_CHROMIUM_PATH)`);
    // Loaded on the first report, not at start: playwright-core alone is ~80 MB of an idle server's RSS.
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath: this.executablePath, args: FLAGS, timeout: 30_000 });
    try {
      const page = await browser.newPage({ javaScriptEnabled: false });
      // Reports are self-contained: any request a template might make is refused.
      await page.route("**/*", (route) => route.abort());
      await page.setContent(html, { waitUntil: "load" });
      return await page.pdf({
        format: "A4",
        printBackground: true,
        margin: { top: "16mm", bottom: "16mm", left: "14mm", right: "14mm" },
      });
    } finally {
      await browser.close();
    }
  }
}
