import { expect, test } from "@playwright/test";
import { expectNoSidewaysScroll, lowContrast, open, useTheme } from "./helpers";

/** Every section the page lists, as [fragment, name] from its own section list. */
async function sectionsOf(page: import("@playwright/test").Page): Promise<[string, string][]> {
  return page.locator("nav.sections a").evaluateAll((links) =>
    links.map((a) => [a.getAttribute("href")!.slice(1), a.textContent!.trim()] as [string, string]),
  );
}

for (const width of [1280, 390]) {
  test(`every section fits ${width} px without sideways scrolling, in both themes, with AA contrast`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await open(page);
    const sections = await sectionsOf(page);
    expect(sections.length).toBeGreaterThanOrEqual(2);
    for (const theme of ["light", "dark"] as const) {
      await useTheme(page, theme);
      for (const [section, name] of sections) {
        await page.getByRole("link", { name, exact: true }).click();
        await expect(page.locator(`#${section}-title`)).toBeVisible();
        // The Replay section's charts come from the worker: check (and picture) them drawn.
        if (section === "replay")
          await expect(page.getByTestId("replay-status")).toHaveText(/^Replayed \d+ evaluations/, { timeout: 20_000 });
        // Open every explanation too: their formulas are the longest lines.
        for (const d of await page.locator("details.explain").all()) await d.evaluate((e) => ((e as HTMLDetailsElement).open = true));
        await expectNoSidewaysScroll(page, `${section} at ${width} px, ${theme}`);
        expect(await lowContrast(page), `${section} at ${width} px, ${theme}`).toEqual([]);
        await page.screenshot({ path: `../../target/screenshots/${section}-${theme}-${width}.png`, fullPage: true });
      }
    }
    // Stale figures keep their contrast: they are marked, not dimmed.
    await page.getByRole("link", { name: "Budget" }).click();
    await page.locator("#objective").fill("x");
    expect(await lowContrast(page), "stale figures").toEqual([]);
  });
}

test("on a phone the chart's text keeps its size and a section's heading is never under the bar", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await open(page);
  await page.mouse.wheel(0, 600);
  await page.getByRole("link", { name: "Tiers" }).click();
  const header = (await page.locator("header.summary").boundingBox())!;
  const heading = (await page.locator("#tiers-title").boundingBox())!;
  expect(heading.y).toBeGreaterThanOrEqual(header.y + header.height);
  expect(header.height).toBeLessThanOrEqual(90);
  await expect(page.locator("#tiers-title")).toBeFocused();
  const sizes = await page.locator("svg.plot text").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
  expect(sizes.length).toBeGreaterThan(4);
  for (const h of sizes) expect(h).toBeGreaterThanOrEqual(11);
  // The section list is a row of tabs above the section.
  const tabs = await page.locator("nav.sections a").evaluateAll((as) => as.map((a) => Math.round(a.getBoundingClientRect().top)));
  expect(new Set(tabs).size).toBe(1);
});

test("a heading, a skip link, and a visible focus on every control the keyboard reaches", async ({ page }) => {
  await open(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("burnlab");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to the section" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
  await expect(page).toHaveURL(/#budget$/);

  for (const [section] of await sectionsOf(page)) {
    await page.goto(`./#${section}`);
    await page.reload();
    await expect(page.getByTestId("summary-burn")).not.toBeEmpty();
    const seen: string[] = [];
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press("Tab");
      const focus = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const again = el.dataset.visited === "yes";
        el.dataset.visited = "yes";
        const s = getComputedStyle(el);
        const ring = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
        return { name: `${el.tagName.toLowerCase()}#${el.id} ${(el.textContent ?? "").trim().slice(0, 30)}`, ring, again };
      });
      if (!focus || focus.again) break;
      expect(focus.ring, `${section}: ${focus.name} shows no focus ring`).toBe(true);
      seen.push(focus.name);
    }
    // Skip link, share, theme, the section list, and the section's own controls.
    expect(seen.length, `${section}: controls reached: ${seen.join(" | ")}`).toBeGreaterThan(8);
  }
});

test("the theme follows the system until the toggle picks one, which is remembered", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await open(page);
  await expect(page.getByTestId("theme-toggle")).toHaveAttribute("aria-pressed", "true");
  const dark = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.getByTestId("theme-toggle").click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  const light = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(light).not.toBe(dark);
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await expect(page.getByTestId("theme-toggle")).toHaveAttribute("aria-pressed", "false");
});

test("the README screenshot", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("./#tiers?objective=99.9&errors=0.02&rps=5");
  await expect(page.getByTestId("summary-burn")).toHaveText("20×");
  await page.screenshot({ path: "../../target/screenshots/readme.png" });
});

test("the README's Replay screenshot: a fast burn, paged", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("./#replay");
  await expect(page.locator("#replay-title")).toBeVisible();
  await page.getByTestId("replay-scenario").selectOption("fast-burn");
  await expect(page.getByTestId("replay-status")).toHaveText(/^Replayed \d+ evaluations/, { timeout: 20_000 });
  await expect(page.getByTestId("replay-pages")).not.toHaveText("0");
  await page.screenshot({ path: "../../target/screenshots/replay.png", fullPage: true });
});

test("choosing a section in the list moves the focus to its heading, the Replay section's full build included", async ({ page }) => {
  await open(page);
  for (const [link, heading] of [
    ["Learn", "#learn-title"],
    ["Tiers", "#tiers-title"],
    ["Rules", "#rules-title"],
    ["Routing", "#routing-title"],
    ["Budget", "#budget-title"],
    ["Replay", "#replay-title"],
  ]) {
    await page.locator("nav.sections").getByRole("link", { name: link, exact: true }).click();
    await expect(page.locator(heading)).toBeFocused({ timeout: 30_000 });
  }
});
