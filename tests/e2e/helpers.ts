// Shared checks for the end-to-end specs: the page stays on its own origin and inside its
// Content-Security-Policy, never scrolls sideways, and its text meets WCAG AA contrast.
import { expect, type Page } from "@playwright/test";

/** Records requests to other origins, page errors and CSP violations from now on. */
export async function watch(page: Page, baseURL: string) {
  const origin = new URL(baseURL).origin;
  const foreign: string[] = [];
  const errors: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "data:" && url.origin !== origin) foreign.push(request.url());
  });
  page.on("pageerror", (err) => errors.push(err.message));
  await page.addInitScript(() => {
    (window as any).__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as any).__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return {
    async check() {
      expect(foreign, "requests to other origins").toEqual([]);
      expect(errors, "page errors").toEqual([]);
      expect(await page.evaluate(() => (window as any).__csp), "CSP violations").toEqual([]);
    },
  };
}

/** Opens the page on a section and waits for the first figures. */
export async function open(page: Page, fragment = "budget") {
  await page.goto(`./#${fragment}`);
  await expect(page.getByTestId("summary-burn")).not.toBeEmpty();
}

/** Nothing scrolls sideways: the document is no wider than the window. */
export async function expectNoSidewaysScroll(page: Page, where: string) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  expect(scroll, `${where}: scrollWidth ${scroll} > innerWidth ${inner}`).toBeLessThanOrEqual(inner);
}

/** Every visible text below `minimum` contrast against its background, as `text: ratio`. */
export async function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgba = (c: string): number[] => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return [0, 0, 0, 0];
      const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top: number[], bottom: number[]) => {
      const a = top[3];
      return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
    };
    const lum = (c: number[]) => {
      const f = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
      };
      return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
    };
    const ratio = (a: number[], b: number[]) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const background = (el: Element | null): number[] => {
      const layers: number[][] = [];
      for (let e = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      let base = layers.length && layers[layers.length - 1][3] >= 1 ? layers.pop()! : rgba(getComputedStyle(document.documentElement).backgroundColor);
      if (base[3] < 1) base = [255, 255, 255, 1];
      for (const l of layers.reverse()) base = over(l, base);
      return base;
    };
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 1 && r.height > 1 && s.visibility !== "hidden" && s.opacity !== "0";
    };
    const bad: string[] = [];
    const all = document.querySelectorAll("body *");
    for (const el of Array.from(all)) {
      const hasText = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim());
      const isField = el.matches("input:not([type=range]):not([type=checkbox]), select, textarea");
      if (!(hasText || isField) || !visible(el)) continue;
      if ((el as HTMLButtonElement).disabled) continue; // WCAG exempts inactive controls
      const s = getComputedStyle(el);
      const fg = rgba(el instanceof SVGElement ? s.fill : s.color);
      const bg = background(el instanceof SVGElement ? el.closest("figure") : el);
      const r = ratio(over(fg, bg), bg);
      const size = parseFloat(s.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
      if (r < (large ? 3 : 4.5)) bad.push(`${(el.textContent || (el as HTMLInputElement).value || "").trim().slice(0, 40)}: ${r.toFixed(2)}`);
    }
    return bad;
  });
}

/** Switches the page to `theme` with its own toggle. */
export async function useTheme(page: Page, theme: "light" | "dark") {
  const toggle = page.getByTestId("theme-toggle");
  for (let i = 0; i < 2 && (await page.locator("html").getAttribute("data-theme")) !== theme; i++) {
    await toggle.click();
  }
  await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
}
