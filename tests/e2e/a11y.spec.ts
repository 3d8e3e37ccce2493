// axe-core over every section in both themes: no accessibility violation of WCAG 2 A and AA
// (serious, critical, moderate or minor) on what a user sees, the lesson bar and the Replay
// charts included.
import AxeBuilder from "@axe-core/playwright";
import { expect, Page, test } from "@playwright/test";
import { useTheme } from "./helpers";

/** Each section, and what shows it is ready. */
const SECTIONS: [string, (page: Page) => Promise<void>][] = [
  ["learn", async (page) => { await expect(page.getByTestId("learn-progress")).toBeVisible(); }],
  ["budget", async (page) => { await expect(page.getByTestId("summary-burn")).not.toBeEmpty(); }],
  ["tiers", async (page) => { await expect(page.getByTestId("tier-table")).toBeVisible(); }],
  ["rules", async (page) => { await expect(page.getByText("No lint findings")).toBeVisible({ timeout: 15_000 }); }],
  ["routing", async (page) => { await expect(page.getByTestId("hygiene-summary")).toBeVisible({ timeout: 15_000 }); }],
  ["replay", async (page) => { await expect(page.getByTestId("replay-status")).toHaveText(/^Replayed/, { timeout: 30_000 }); }],
];

async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations.map(
    (v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`,
  );
}

for (const theme of ["light", "dark"] as const) {
  test(`every section passes axe in the ${theme} theme`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto("./#budget");
    await useTheme(page, theme);
    const found: string[] = [];
    for (const [section, ready] of SECTIONS) {
      await page.goto(`./#${section}`);
      await ready(page);
      found.push(...(await violations(page)).map((v) => `#${section}: ${v}`));
    }
    // The tier editor, with the user's own rows.
    await page.goto("./#tiers");
    await page.getByTestId("copy-tiers").click();
    await expect(page.getByTestId("tier-editor")).toBeVisible();
    found.push(...(await violations(page)).map((v) => `tier editor: ${v}`));
    // The lesson bar over a section.
    await page.goto("./#learn");
    await page.getByRole("link", { name: /^(Start with|Go on with) step/ }).click();
    await expect(page.getByTestId("lesson-bar")).toBeVisible();
    found.push(...(await violations(page)).map((v) => `lesson bar: ${v}`));
    expect(found).toEqual([]);
  });
}
